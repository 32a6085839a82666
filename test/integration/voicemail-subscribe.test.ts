import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProduct, type Product } from '../helpers/product-harness.js';
import { sleep } from '../helpers/media-calls.js';
import { runSipp } from '../helpers/sipp.js';
import { changeMailbox } from '../../src/app/voicemail/mailboxes.js';
import { RawUdpPeer } from '../helpers/raw-sip-peers.js';
import { callsConfig, clearBindings, deviceRow, expectEngineIdle, expectSipp, injection, putDeviceBinding, uas } from './calls-support.js';

// SUBSCRIBE to message-summary (RFC 3842 / RFC 6665) with SIPp devices; no media server needed.
// Product 127.15.0.30; devices on 127.15.0.31–.35.
let p: Product;

beforeAll(async () => {
  p = await startProduct({ sipHost: '127.15.0.30', configText: callsConfig({ sbcHosts: ['127.15.0.36', '127.15.0.37'] }) });
});

afterAll(async () => {
  await p?.stop();
});

const subscribe = (scenario: string, deviceUser: string, mailbox: string, ip: string) =>
  runSipp({
    scenario: `mwi/${scenario}.xml`,
    target: p.target,
    ip,
    port: 5060,
    calls: 1,
    timeoutSec: 40,
    injectionFile: injection([deviceRow(deviceUser)]),
    extra: ['-s', mailbox],
  });

describe('MWI subscriptions (SUBSCRIBE message-summary)', () => {
  it('101 subscribes (407, credentials): 200 with Expires, NOTIFY of the current state at once, NOTIFY on change, Expires 0 ends it with a final NOTIFY and the engine forgets the dialog', async () => {
    // 101 is also registered (at 127.15.0.35): while it subscribes, it gets no unsolicited NOTIFY there
    await putDeviceBinding(p, '101', '127.15.0.35');
    const registered = await new RawUdpPeer('127.15.0.35', 5060).open();
    const s = subscribe('device-subscribes-then-unsubscribes', '101', '101', '127.15.0.31');
    try {
      const deadline = Date.now() + 15_000;
      while (p.ctx.mwi.size === 0 && Date.now() < deadline) await sleep(50);
      expect(p.ctx.mwi.ofMailbox('demo', '101')).toMatchObject([{ extension: '101', deviceUser: '101', account: 'sip:101@demo.local' }]);
      const tenant = p.ctx.config.tenants.get('demo')!;
      await sleep(300); // the device has answered the first NOTIFY
      await changeMailbox(p.ctx, tenant, '101', p.ctx.log, (store) =>
        store.add('demo', '101', { id: 'm1', caller: '100', receivedAt: Date.now(), durationMs: 3000, file: '/nowhere/m1.wav', isNew: true }),
      );
      expectSipp(await s.done, 1, '101 subscribed, was notified twice, unsubscribed');
    } finally {
      s.kill();
      registered.close();
    }
    expect(registered.received.map((b) => b.toString('latin1').split('\r\n', 1)[0])).toEqual([]);
    expect(p.ctx.mwi.size).toBe(0);
    // no subscription any more: the next change reaches the registered binding unsolicited
    const unsolicited = uas('device-receives-mwi-no-0-0', '127.15.0.35', 5060);
    try {
      await sleep(300);
      await changeMailbox(p.ctx, p.ctx.config.tenants.get('demo')!, '101', p.ctx.log, (store) => store.remove('demo', '101', 'm1'));
      expectSipp(await unsolicited.done, 1, "101's registered device got the unsolicited NOTIFY Messages-Waiting: no");
    } finally {
      unsolicited.kill();
      await clearBindings(p, ['101']);
    }
    await expectEngineIdle(p);
  }, 60_000);

  it('an event package other than message-summary gets 489 Bad Event with Allow-Events', async () => {
    expectSipp(await subscribe('device-subscribe-presence-gets-489', '101', '101', '127.15.0.32').done, 1, 'presence → 489');
  });

  it("a device may not watch another extension's mailbox: 403 after authentication", async () => {
    expectSipp(await subscribe('device-subscribe-other-mailbox-gets-403', '100', '101', '127.15.0.33').done, 1, "100 → 101's mailbox: 403");
    expect(p.ctx.mwi.size).toBe(0);
    await expectEngineIdle(p);
  });
});
