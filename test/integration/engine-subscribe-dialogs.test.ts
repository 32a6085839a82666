import { describe, expect, it } from 'vitest';
import type Srf from 'drachtio-srf';
import { gaugesSettled } from '../helpers/engine-harness.js';
import { runSipp, sippStartDelay } from '../helpers/sipp.js';
import { srfOnEngine } from '../helpers/srf-on-engine.js';

// SUBSCRIBE dialogs on the embedded engine (wire protocol §6.2, §6.9): a NOTIFY with
// Subscription-State: terminated ends the dialog, whether the app sends it or the network does.
// Unmodified drachtio-srf; engine 127.15.0.40, SIPp on 127.15.0.41/.42. The harness checks after
// each test that no dialog or transaction is left.
const t = srfOnEngine({ host: '127.15.0.40', port: 5060 });

type Handler = (req: Srf.SrfRequest, res: Srf.SrfResponse) => void;

describe('SUBSCRIBE dialogs end with a terminated NOTIFY', () => {
  it('app as notifier: srf.createUAS answers a SIPp SUBSCRIBE (202), its in-dialog NOTIFY terminated ends the dialog', async () => {
    const seen: string[] = [];
    const handler: Handler = (req, res) => {
      void t.srf.createUAS(req, res, { headers: { Expires: '60' } } as unknown as Srf.CreateUASOptions).then(
        async (dialog) => {
          seen.push((dialog as unknown as { id: string }).id);
          const d = dialog as unknown as { request(o: { method: string; headers: Record<string, string> }): Promise<{ status: number }> };
          const answered = await d.request({ method: 'NOTIFY', headers: { Event: 'message-summary', 'Subscription-State': 'terminated;reason=noresource' } });
          seen.push(String(answered.status));
        },
        () => undefined,
      );
    };
    (t.srf as unknown as { use(m: string, h: Handler): void }).use('subscribe', handler);
    const r = await runSipp({ scenario: 'engine/uac-subscribe-until-terminated.xml', target: t.target, ip: '127.15.0.41', port: 5060, calls: 1, timeoutSec: 15 }).done;
    expect(r).toMatchObject({ successful: 1, failed: 0 });
    expect(seen).toHaveLength(2);
    expect(seen[1]).toBe('200');
    expect((await gaugesSettled(t.h.engine)).dialogs).toBe(0);
  });

  it("app as subscriber: srf.createUAC SUBSCRIBE to SIPp (200), SIPp's NOTIFY terminated ends the dialog", async () => {
    const uas = runSipp({ scenario: 'engine/uas-subscribe-then-notify-terminated.xml', ip: '127.15.0.42', port: 5060, calls: 1, timeoutSec: 15 });
    await sippStartDelay();
    // (srf itself matches the NOTIFY to its subscription by the NOTIFY's To, so its Dialog object
    // may stay: only the engine's bookkeeping is under test here)
    await t.srf.createUAC('sip:notifier@127.15.0.42:5060', { method: 'SUBSCRIBE', headers: { Event: 'message-summary', Expires: '60' } } as unknown as Srf.CreateUACOptions);
    expect(await uas.done).toMatchObject({ successful: 1, failed: 0 });
    expect((await gaugesSettled(t.h.engine)).dialogs).toBe(0);
  });
});
