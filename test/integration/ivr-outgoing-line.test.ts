import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProduct, type Product } from '../helpers/product-harness.js';
import { RtpPeer } from '../helpers/rtp-peer.js';
import { runSipp, sippStartDelay } from '../helpers/sipp.js';
import { toneStrength } from '../helpers/audio-check.js';
import { mediaSettled } from '../helpers/media-harness.js';
import { placeCall, until } from '../helpers/media-calls.js';
import { SBC_PORT, callsConfig, expectEngineIdle, expectSipp, recordCalls } from './calls-support.js';
import type { CallRecord } from '../../src/app/calls/call-record.js';

// The demo attendant given a CoS of its own that grants one outgoing line (toll free) and no other
// (DOMAIN §5: the IVR's CoS, not the caller's, judges what is dialled from its menu). Product
// 127.18.0.1, media server 127.18.0.2 (RTP 22000–22200), carrier SBCs 127.18.0.3/.4: the caller
// comes from the primary (port 5063), the transfer goes out to it (its trunk port).
const PRIMARY_SBC = '127.18.0.3';
const ATTENDANT = '4165550100';

let p: Product;
let records: CallRecord[];

function ivrTollFreeConfig(): string {
  let text = callsConfig({ sbcHosts: [PRIMARY_SBC, '127.18.0.4'] }).replace('          tries: 3\n', '          tries: 1\n          timeoutSeconds: 1\n');
  const swap = (from: string, to: string): void => {
    if (!text.includes(from)) throw new Error(`config/default.yaml no longer contains "${from}"`);
    text = text.replace(from, to);
  };
  swap('        kind: ivr\n', '        kind: ivr\n        cos: ivr-tollfree\n');
  swap('    cos:\n', "    cos:\n      ivr-tollfree:\n        outgoingLines: [tollfree]\n        localExtensions: ['100', '101', '102']\n");
  return text;
}

beforeAll(async () => {
  p = await startProduct({ sipHost: '127.18.0.1', configText: ivrTollFreeConfig(), media: { host: '127.18.0.2', rtpStart: 22000 } });
  records = recordCalls(p);
});

afterAll(async () => {
  await p?.stop();
});

describe("IVR CoS (DOMAIN §5): an outgoing line granted by the attendant's own CoS", () => {
  it('a carrier caller dials 1-800 from the menu: the call goes out on the trunk, the two are bridged and hear each other', async () => {
    records.length = 0;
    const sbcPeer = await RtpPeer.bind(PRIMARY_SBC, 23202);
    sbcPeer.latch = true;
    const sbc = runSipp({ scenario: 'calls/sbc-answer-rtpport-expects-18005551234-hangs-up.xml', ip: PRIMARY_SBC, port: SBC_PORT, calls: 1, timeoutSec: 25, keys: { rtpport: '23202' } });
    await sippStartDelay();
    const call = await placeCall(PRIMARY_SBC, 5063, 23200, '0 8', p.target, ATTENDANT);
    call.peer.latch = true;
    try {
      await until('the menu prompt', () => call.peer.received.length >= 10);
      await call.peer.sendDigits('18005551234#');
      await until('the toll-free call answered and bridged', () => p.media!.gauges().channels === 2, 10_000);
      // the caller's endpoint learned where to send once the prompts reached the caller; the SBC's once audio crosses
      const talking = call.peer.sendTone(1000, 1500);
      await until('RTP from the media server to the SBC', () => sbcPeer.target !== undefined);
      await Promise.all([talking, sbcPeer.sendTone(600, 1000)]);
      expectSipp(await sbc.done, 1, 'the SBC answered 18005551234 and hung up');
      expectSipp(await call.sipp, 1, 'the caller got the BYE');
      // each side heard the other through the media server's bridge
      expect(toneStrength(sbcPeer.audio(0).samples, 1000)).toBeGreaterThan(0.2);
      expect(toneStrength(call.peer.audio(0, performance.now() - 3000).samples, 600)).toBeGreaterThan(0.2);
    } finally {
      call.peer.close();
      sbcPeer.close();
      sbc.kill();
    }
    await until('the call record', () => records.some((x) => x.dialled === ATTENDANT && x.endedAt !== undefined));
    const rec = records.find((x) => x.dialled === ATTENDANT)!;
    expect(rec.ivr).toEqual(['attendant: 18005551234 → outgoing 18005551234']);
    expect(rec.attempts.map((a) => a.target)).toContain('ivr attendant → 18005551234');
    await expectEngineIdle(p);
    expect(await mediaSettled(p.media!)).toMatchObject({ channels: 0, rtpPorts: 0 });
  });

  it('a long-distance number, which that CoS does not grant, is refused with the invalid prompt and nothing is rung', async () => {
    records.length = 0;
    const call = await placeCall(PRIMARY_SBC, 5063, 23204, '0 8', p.target, ATTENDANT);
    call.peer.latch = true;
    try {
      await until('the menu prompt', () => call.peer.received.length >= 10);
      await call.peer.sendDigits('19055551234#');
      expectSipp(await call.sipp, 1, 'the caller hung up by the IVR');
    } finally {
      call.peer.close();
    }
    await until('the call record', () => records.some((x) => x.endedAt !== undefined));
    expect(records[0]!.ivr).toEqual(['attendant: invalid 19055551234', 'attendant: no valid input after 1 tries → hang up']);
    expect(records[0]!.attempts).toEqual([]);
    await expectEngineIdle(p);
    expect(await mediaSettled(p.media!)).toMatchObject({ channels: 0, rtpPorts: 0 });
  });
});
