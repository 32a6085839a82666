import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProduct, type Product } from '../helpers/product-harness.js';
import { RtpPeer } from '../helpers/rtp-peer.js';
import { runSipp, sippStartDelay } from '../helpers/sipp.js';
import { useRedisServer } from '../helpers/redis-server.js';
import { readWav } from '../helpers/audio-check.js';
import { mediaSettled } from '../helpers/media-harness.js';
import { sleep, until } from '../helpers/media-calls.js';
import { SBC_PORT, callsConfig, clearBindings, deviceCalls, deviceRow, expectEngineIdle, expectSipp, injection, putDeviceBinding, recordCalls, uas } from './calls-support.js';
import type { CallRecord } from '../../src/app/calls/call-record.js';

// *22 hot-desk login by voice (DOMAIN §1) on the embedded media server: product 127.0.0.14,
// media server 127.0.0.16 (RTP 22600–22800), the hot-desk phone 103 at 127.0.0.17, a second
// instance B on the same Redis at 127.0.0.227 (caller 100 calls through it from 127.0.0.14:5070),
// carrier SBCs 127.0.0.181/.182.
const PHONE = '127.0.0.17';
const PRIMARY_SBC = '127.0.0.181';
const redis = useRedisServer(beforeAll, afterAll);
let p: Product;
let b: Product;
let records: CallRecord[];

beforeAll(async () => {
  const configText = callsConfig({ sbcHosts: [PRIMARY_SBC, '127.0.0.182'] });
  p = await startProduct({ sipHost: '127.0.0.14', configText, redisUrl: redis().url, media: { host: '127.0.0.16', rtpStart: 22600 } });
  b = await startProduct({ sipHost: '127.0.0.227', configText, redisUrl: redis().url });
  records = recordCalls(p);
});

afterAll(async () => {
  await b?.stop();
  await p?.stop();
});

const promptPackets = (name: string): number => {
  const w = readWav(`sounds/en/${name}.wav`);
  return (w.samples[0]!.length / w.rate) * 50;
};

/** Phone 103 dials *22 and keys `rounds` of extension + PIN when prompted. */
async function dialLogin(rounds: Array<[string, string]>): Promise<{ code: number | null; successful: number; heardAfterPin: number[] }> {
  const peer = await RtpPeer.bind(PHONE, 23300);
  peer.latch = true;
  try {
    const call = runSipp({
      scenario: 'calls/device-call-rtpport-waits-for-bye.xml',
      target: p.target,
      ip: PHONE,
      port: 5060,
      calls: 1,
      timeoutSec: 40,
      injectionFile: injection([deviceRow('103')]),
      keys: { rtpport: '23300' },
      extra: ['-s', '*22'],
    });
    await until('the enter-extension prompt', () => peer.target !== undefined);
    const heardAfterPin: number[] = [];
    for (const [extension, pin] of rounds) {
      await peer.sendDigits(`${extension}#`);
      await sleep(400);
      await peer.sendDigits(`${pin}#`);
      const before = peer.received.length;
      await sleep(2500); // the logged-in or login-failed prompt
      heardAfterPin.push(peer.received.length - before);
    }
    return { ...(await call.done), heardAfterPin };
  } finally {
    peer.close();
  }
}

describe('hot-desk login by voice (*22) and logout (*23)', { timeout: 60_000 }, () => {
  it('[DOMAIN §1] phone 103 dials *22, keys 222 and PIN 1234: the store says 222 is logged in on 103, and the IVR hangs up', async () => {
    const r = await dialLogin([['222', '1234']]);
    expectSipp({ ...r, failed: 0, stderr: '', errors: '' }, 1, 'phone 103 *22');
    // the confirmation: RTP for (at least most of) the logged-in prompt after the PIN
    expect(r.heardAfterPin[0]).toBeGreaterThan(promptPackets('logged-in') * 0.8);
    expect(await p.ctx.hotDesk.guestOn('demo', '103')).toBe('222');
    expect(await p.ctx.hotDesk.phoneOf('demo', '222')).toBe('103');
    await until('the call record', () => records.some((x) => x.dialled === '*22' && x.endedAt !== undefined));
    expect(records.find((x) => x.dialled === '*22')).toMatchObject({ action: 'feature', finalStatus: 200 });
    await expectEngineIdle(p);
    expect(await mediaSettled(p.media!)).toMatchObject({ channels: 0, rtpPorts: 0 });
  });

  it("[DOMAIN §1] while 222 is logged in on 103: a call to 222 through a second instance on the same Redis rings the SIPp phone 103; 103 dialling 19055551234 uses 222's CoS and presents 222's caller ID to the carrier", async () => {
    expect(await b.ctx.hotDesk.guestOn('demo', '103')).toBe('222');
    await putDeviceBinding(p, '103', PHONE);
    const phone = uas('device-ring-then-answer', PHONE);
    await sippStartDelay();
    const caller = deviceCalls(b, 'device-call-answered-then-hang-up', '100', '222', '127.0.0.14', 5070);
    const [c, d] = await Promise.all([caller.done, phone.done]);
    expectSipp(c, 1, 'caller 100 through instance B');
    expectSipp(d, 1, 'the SIPp phone 103, where 222 is logged in');

    records.length = 0;
    const sbc = uas('sbc-answer-expects-guest-4165550122', PRIMARY_SBC, SBC_PORT);
    await sippStartDelay();
    const out = deviceCalls(p, 'device-call-answered-then-hang-up', '103', '19055551234', PHONE);
    const [o, s] = await Promise.all([out.done, sbc.done]);
    expectSipp(o, 1, 'phone 103 calling out as 222');
    expectSipp(s, 1, "carrier SBC checking 222's caller ID");
    expect(records[0]).toMatchObject({ caller: '103', callerExtension: '222', action: 'outbound', finalStatus: 200 });
    await clearBindings(p, ['103']);
  });

  it('*23 from the phone logs the guest out (603 "Logged Out"): the phone is itself again', async () => {
    expect(await p.ctx.hotDesk.guestOn('demo', '103')).toBe('222');
    const caller = deviceCalls(p, 'device-call-gets-603', '103', '*23', PHONE);
    expectSipp(await caller.done, 1, 'phone 103 *23');
    expect(await p.ctx.hotDesk.guestOn('demo', '103')).toBeUndefined();
    expect(await p.ctx.hotDesk.phoneOf('demo', '222')).toBeUndefined();
    // back to the phone's own CoS plus its "CoS if not logged" (internal): no outgoing line
    records.length = 0;
    expectSipp(await deviceCalls(p, 'device-call-gets-403', '103', '19055551234', PHONE).done, 1, 'phone 103 refused an outgoing line');
    expect(records[0]).toMatchObject({ caller: '103', finalStatus: 403 });
    expect(records[0]!.callerExtension ?? '103').toBe('103');
  });

  it('three wrong PINs: nobody is logged in, the call ends, and each wrong PIN counted towards the ban like a wrong password', async () => {
    records.length = 0;
    const r = await dialLogin([
      ['222', '0000'],
      ['222', '9999'],
      ['222', '4321'],
    ]);
    expect(r.code).toBe(0);
    expect(await p.ctx.hotDesk.guestOn('demo', '103')).toBeUndefined();
    // the three failures are in the window: the next one is the fourth
    expect(p.ctx.bans.recordFailure(PHONE).failures).toBe(4);
    await expectEngineIdle(p);
    expect(await mediaSettled(p.media!)).toMatchObject({ channels: 0, rtpPorts: 0 });
  });
});
