import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProduct, type Product } from '../helpers/product-harness.js';
import { startRedisServer, type RedisServerHandle } from '../helpers/redis-server.js';
import { sleep } from '../helpers/media-calls.js';
import { RtpPeer } from '../helpers/rtp-peer.js';
import { runSipp } from '../helpers/sipp.js';
import { changeMailbox, closeVoicemail } from '../../src/app/voicemail/mailboxes.js';
import { callsConfig, deviceRow, expectEngineIdle, expectSipp, injection, putDeviceBinding, uas } from './calls-support.js';
import { sippLeavesToneMessage, speaks, toneRuns } from './voicemail-support.js';

// Two product instances on one real redis-server (127.15.0.59), each with its own embedded media
// server, the WAVs on a disk both see: a message left through A is listed and played through B.
// A: 127.15.0.50 (media .51, RTP 28000–28200); B: 127.15.0.55 (media .56, RTP 28200–28400);
// caller 100 on 127.15.0.52 (SIPp media port 28400); 101's device at 127.15.0.53; 101 dials *97
// from 127.15.0.54 (the test's RTP peer on 28500); 101 subscribes to its mailbox from 127.15.0.60.
let redis: RedisServerHandle;
let a: Product;
let b: Product;

beforeAll(async () => {
  redis = await startRedisServer({ host: '127.15.0.59' });
  const configText = callsConfig({ sbcHosts: ['127.15.0.57', '127.15.0.58'] });
  const shared = { configText, redisUrl: redis.url, nonceSecret: 'shared-by-both-instances' };
  a = await startProduct({ ...shared, sipHost: '127.15.0.50', media: { host: '127.15.0.51', rtpStart: 28000 } });
  b = await startProduct({ ...shared, sipHost: '127.15.0.55', media: { host: '127.15.0.56', rtpStart: 28200 } });
});

afterAll(async () => {
  for (const p of [a, b]) {
    if (p === undefined) continue;
    await closeVoicemail(p.ctx);
    await p.stop();
  }
  await redis?.stop();
});

describe('voicemail across instances (index in Redis, WAVs on shared storage)', () => {
  it('100 leaves a message for 101 through instance A; B lists it, plays it to 101 on *97, deletes it on 7 and sends 101 Messages-Waiting: no', async () => {
    // nothing registered for 101: the caller goes straight to A's voicemail
    const left = sippLeavesToneMessage(a, { deviceUser: '100', dialled: '101', ip: '127.15.0.52', mediaPort: 28400, toneMs: 2000 });
    expectSipp(await left.done, 1, 'caller 100 left a message through A');
    let listed = await b.ctx.voicemail.list('demo', '101');
    for (let i = 0; i < 50 && listed.length === 0; i++) {
      await sleep(100);
      listed = await b.ctx.voicemail.list('demo', '101');
    }
    expect(listed).toHaveLength(1);
    const [m] = listed;
    expect(m).toMatchObject({ caller: '100', isNew: true });
    // A recorded it into A's directory: B's media server plays that same file
    expect(m!.file.startsWith(a.config.media.voicemailDir)).toBe(true);
    expect(existsSync(m!.file)).toBe(true);

    await putDeviceBinding(b, '101', '127.15.0.53'); // the location store is Redis too: A would see it as well
    const mwiNo = uas('device-receives-mwi-no-0-0', '127.15.0.53', 5060);
    const peer = await RtpPeer.bind('127.15.0.54', 28500);
    peer.latch = true;
    const call = runSipp({
      scenario: 'media/device-offers-then-waits-for-bye.xml',
      target: b.target,
      ip: '127.15.0.54',
      port: 5060,
      calls: 1,
      timeoutSec: 60,
      injectionFile: injection([deviceRow('101')]),
      keys: { rtpport: '28500' },
      extra: ['-s', '*97', '-mp', '28600'],
    });
    try {
      const deadline = Date.now() + 15_000;
      while (peer.received.length < 20 && Date.now() < deadline) await sleep(50);
      await peer.sendDigits('4321#');
      const from = performance.now();
      // a late packet may split the tone into runs: their sum is the message
      const played = (): number => toneRuns(peer.audio(0, from).samples, 8000, 1000, true).reduce((sum, r) => sum + r, 0);
      const until = Date.now() + 20_000;
      while (played() < 1.7 && Date.now() < until) await sleep(50);
      const afterTone = peer.received.length;
      while (!speaks(peer.audio(0).samples.subarray(afterTone * 160)) && Date.now() < until) await sleep(50);
      expect(played()).toBeGreaterThan(1.7);
      expect(played()).toBeLessThan(2.3);
      await peer.sendDigits('7');
      expectSipp(await mwiNo.done, 1, '101 received Messages-Waiting: no from B');
      expectSipp(await call.done, 1, '*97 through B ended by the product');
    } finally {
      peer.close();
      call.kill();
      mwiNo.kill();
    }
    expect(await a.ctx.voicemail.list('demo', '101')).toEqual([]);
    expect(existsSync(m!.file)).toBe(false);
    await b.ctx.store.removeAllDeviceBindings({ tenant: 'demo', extension: '101', deviceUser: '101' });
    await expectEngineIdle(a);
    await expectEngineIdle(b);
  }, 90_000);

  it('101 subscribed to its mailbox through B hears of a message left through A: A announces the change over Redis, B notifies in the dialog it holds', async () => {
    expect(await a.ctx.voicemail.list('demo', '101')).toEqual([]);
    const subscriber = runSipp({
      scenario: 'mwi/device-subscribes-then-unsubscribes.xml',
      target: b.target,
      ip: '127.15.0.60',
      port: 5060,
      calls: 1,
      timeoutSec: 40,
      injectionFile: injection([deviceRow('101')]),
      extra: ['-s', '101'],
    });
    try {
      for (const t0 = Date.now(); b.ctx.mwi.size === 0 && Date.now() - t0 < 15_000;) await sleep(50);
      expect(b.ctx.mwi.ofMailbox('demo', '101')).toHaveLength(1);
      expect(a.ctx.mwi.size).toBe(0);
      await sleep(300); // the device has answered the first NOTIFY (no messages)
      await changeMailbox(a.ctx, a.ctx.config.tenants.get('demo')!, '101', a.ctx.log, (store) =>
        store.add('demo', '101', { id: 'across-1', caller: '100', receivedAt: Date.now(), durationMs: 2000, file: '/nowhere/across-1.wav', isNew: true }),
      );
      expectSipp(await subscriber.done, 1, '101 subscribed through B, got Messages-Waiting: yes 1/0 from B, unsubscribed');
    } finally {
      subscriber.kill();
    }
    await a.ctx.voicemail.remove('demo', '101', 'across-1');
    await expectEngineIdle(b);
  }, 60_000);
});
