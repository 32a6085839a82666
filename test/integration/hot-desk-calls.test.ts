import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProduct, type Product } from '../helpers/product-harness.js';
import { RtpPeer } from '../helpers/rtp-peer.js';
import { runSipp } from '../helpers/sipp.js';
import { mediaSettled } from '../helpers/media-harness.js';
import { sleep, until } from '../helpers/media-calls.js';
import { callsConfig, deviceCalls, deviceRow, expectEngineIdle, expectSipp, injection, recordCalls } from './calls-support.js';
import type { CallRecord } from '../../src/app/calls/call-record.js';

// *22 hot-desk login by voice (DOMAIN §1) on the embedded media server: product 127.0.0.14,
// media server 127.0.0.16 (RTP 22600–22800), the hot-desk phone 103 at 127.0.0.17.
const PHONE = '127.0.0.17';
let p: Product;
let records: CallRecord[];

beforeAll(async () => {
  p = await startProduct({ sipHost: '127.0.0.14', configText: callsConfig({ sbcHosts: ['127.0.0.181', '127.0.0.182'] }), media: { host: '127.0.0.16', rtpStart: 22600 } });
  records = recordCalls(p);
});

afterAll(async () => {
  await p?.stop();
});

/** Phone 103 dials *22 and keys `rounds` of extension + PIN when prompted. */
async function dialLogin(rounds: Array<[string, string]>): Promise<{ code: number | null; successful: number }> {
  const peer = await RtpPeer.bind(PHONE, 23300);
  peer.latch = true;
  try {
    const call = runSipp({
      scenario: 'calls/device-call-rtpport-waits-for-bye.xml', target: p.target, ip: PHONE, port: 5060, calls: 1, timeoutSec: 40,
      injectionFile: injection([deviceRow('103')]), keys: { rtpport: '23300' }, extra: ['-s', '*22'],
    });
    await until('the enter-extension prompt', () => peer.target !== undefined);
    for (const [extension, pin] of rounds) {
      await peer.sendDigits(`${extension}#`);
      await sleep(400);
      await peer.sendDigits(`${pin}#`);
      await sleep(2500); // the logged-in or login-failed prompt
    }
    return await call.done;
  } finally {
    peer.close();
  }
}

describe('hot-desk login by voice (*22) and logout (*23)', { timeout: 60_000 }, () => {
  it('[DOMAIN §1] phone 103 dials *22, keys 222 and PIN 1234: the store says 222 is logged in on 103, and the IVR hangs up', async () => {
    const r = await dialLogin([['222', '1234']]);
    expectSipp({ ...r, failed: 0, stderr: '', errors: '' }, 1, 'phone 103 *22');
    expect(await p.ctx.hotDesk.guestOn('demo', '103')).toBe('222');
    expect(await p.ctx.hotDesk.phoneOf('demo', '222')).toBe('103');
    await until('the call record', () => records.some((x) => x.dialled === '*22' && x.endedAt !== undefined));
    expect(records.find((x) => x.dialled === '*22')).toMatchObject({ action: 'feature', finalStatus: 200 });
    await expectEngineIdle(p);
    expect(await mediaSettled(p.media!)).toMatchObject({ channels: 0, rtpPorts: 0 });
  });

  it('*23 from the phone logs the guest out (603 "Logged Out"): the phone is itself again', async () => {
    expect(await p.ctx.hotDesk.guestOn('demo', '103')).toBe('222');
    const caller = deviceCalls(p, 'device-call-gets-603', '103', '*23', PHONE);
    expectSipp(await caller.done, 1, 'phone 103 *23');
    expect(await p.ctx.hotDesk.guestOn('demo', '103')).toBeUndefined();
    expect(await p.ctx.hotDesk.phoneOf('demo', '222')).toBeUndefined();
  });

  it('three wrong PINs: nobody is logged in, the call ends, and each wrong PIN counted towards the ban like a wrong password', async () => {
    records.length = 0;
    const r = await dialLogin([['222', '0000'], ['222', '9999'], ['222', '4321']]);
    expect(r.code).toBe(0);
    expect(await p.ctx.hotDesk.guestOn('demo', '103')).toBeUndefined();
    // the three failures are in the window: the next one is the fourth
    expect(p.ctx.bans.recordFailure(PHONE).failures).toBe(4);
    await expectEngineIdle(p);
    expect(await mediaSettled(p.media!)).toMatchObject({ channels: 0, rtpPorts: 0 });
  });
});
