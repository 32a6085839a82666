import { describe, expect, it } from 'vitest';
import type Srf from 'drachtio-srf';
import { srfOnEngine, type InviteHandler } from '../helpers/srf-on-engine.js';
import { runSipp, sippStartDelay } from '../helpers/sipp.js';

// RFC 3262 through unmodified drachtio-srf on the embedded engine, SIPp as caller and callee.
const ENGINE_IP = '127.4.0.10';
const SDP = 'v=0\r\no=- 1 1 IN IP4 127.4.0.10\r\ns=-\r\nc=IN IP4 127.4.0.10\r\nt=0 0\r\nm=audio 10000 RTP/AVP 0\r\n';
const UAC_PRACK = 'engine/prack/uac-100rel-prack-then-hangup.xml';
const UAS_RELIABLE = 'engine/prack/uas-reliable-183-then-answer.xml';
const e = srfOnEngine({ host: ENGINE_IP, port: 5060, wireHost: ENGINE_IP });

type SendWithPrack = (status: number, opts: object, cb: (err?: unknown) => void, onPrack: (prack: Srf.SrfRequest) => void) => void;

/** The app as UAS: a reliable 183 first, the 200 once the caller's PRACK has reached it. */
function reliable183ThenAnswer(pracks: Srf.SrfRequest[], errors: string[]): InviteHandler {
  return (req, res) => {
    (res.send as unknown as SendWithPrack)(
      183,
      { headers: { Require: '100rel' }, body: SDP },
      (err) => {
        if (!err) return;
        errors.push(String(err));
        res.send(420);
      },
      (prack) => {
        pracks.push(prack);
        e.srf.createUAS(req, res, { localSdp: SDP }).catch(() => undefined);
      },
    );
  };
}

describe.each(['udp', 'tcp'] as const)('reliable provisional responses over %s', (transport) => {
  it.each(['Supported', 'Require'])('the app sends a reliable 183 to a caller with %s: 100rel; the PRACK reaches the app', async (header) => {
    const pracks: Srf.SrfRequest[] = [];
    const errors: string[] = [];
    e.onInvite = reliable183ThenAnswer(pracks, errors);
    const uac = runSipp({ scenario: UAC_PRACK, target: e.target, ip: '127.4.0.21', port: 5060, transport, calls: 2, rate: 10, keys: { require: header } });
    const r = await uac.done;
    expect(r.errors).toBe('');
    expect(r).toMatchObject({ code: 0, successful: 2, failed: 0 });
    expect(errors).toEqual([]);
    expect(pracks).toHaveLength(2);
    expect(pracks[0]!.get('RAck')).toMatch(/^\d+ 1 INVITE$/);
  });

  it('a reliable 183 to a caller without 100rel is refused and nothing is sent', async () => {
    const errors: string[] = [];
    e.onInvite = reliable183ThenAnswer([], errors);
    const uac = runSipp({ scenario: 'uac', target: e.target, ip: '127.4.0.22', port: 5060, transport, calls: 1 });
    const r = await uac.done;
    expect(r).toMatchObject({ successful: 0, failed: 1 });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('Remote endpoint does not support 100rel');
  });

  it('a reliable 183 never PRACKed: the engine rejects the INVITE with 503 after 64·T1 and srf emits cancel', async () => {
    let cancelled = 0;
    e.onInvite = (req, res) => {
      req.on('cancel', () => cancelled++);
      res.send(183, { headers: { Require: '100rel' }, body: SDP });
    };
    const uac = runSipp({ scenario: 'engine/prack/uac-100rel-never-prack.xml', target: e.target, ip: '127.4.0.26', port: 5060, transport, calls: 1 });
    const r = await uac.done;
    expect(r.errors).toBe('');
    expect(r).toMatchObject({ code: 0, successful: 1, failed: 0 });
    expect(cancelled).toBe(1);
  });

  it('a PRACK whose RAck names no reliable provisional gets 481 from the engine and never reaches the app', async () => {
    const pracks: Srf.SrfRequest[] = [];
    e.onInvite = reliable183ThenAnswer(pracks, []);
    const uac = runSipp({ scenario: 'engine/prack/uac-100rel-wrong-rack.xml', target: e.target, ip: '127.4.0.29', port: 5060, transport, calls: 1 });
    const r = await uac.done;
    expect(r.errors).toBe('');
    expect(r).toMatchObject({ code: 0, successful: 1, failed: 0 });
    expect(pracks).toHaveLength(0);
  });

  it('srf.createUAC PRACKs a reliable 183 from a SIPp callee, then the call is answered', async () => {
    const uas = runSipp({ scenario: UAS_RELIABLE, ip: '127.4.0.23', port: 5060, transport, calls: 1 });
    await sippStartDelay();
    const dialog = await e.srf.createUAC(`sip:callee@127.4.0.23:5060;transport=${transport}`, {
      localSdp: SDP,
      headers: { Supported: '100rel' },
    });
    dialog.destroy();
    const r = await uas.done;
    expect(r.errors).toBe('');
    expect(r).toMatchObject({ code: 0, successful: 1, failed: 0 });
  });

  it('b2b handles PRACK for both UAS and UAC', async () => {
    e.onInvite = (req, res) => {
      e.srf
        .createB2BUA(req, res, `sip:callee@127.4.0.24:5060;transport=${transport}`, {
          proxyRequestHeaders: ['Supported'],
          proxyResponseHeaders: ['all'],
          responseHeaders: { Contact: 'sip:foo@localhost' },
        } as unknown as Srf.CreateB2BUAOptions)
        .then(({ uas, uac }) => {
          uas.on('destroy', () => uac.destroy());
          uac.on('destroy', () => uas.destroy());
        })
        .catch(() => undefined);
    };
    const callee = runSipp({ scenario: UAS_RELIABLE, ip: '127.4.0.24', port: 5060, transport, calls: 2 });
    await sippStartDelay();
    const caller = runSipp({ scenario: UAC_PRACK, target: e.target, ip: '127.4.0.25', port: 5060, transport, calls: 2, rate: 10, keys: { require: 'Supported' } });
    const [a, b] = await Promise.all([caller.done, callee.done]);
    expect(a.errors).toBe('');
    expect(b.errors).toBe('');
    expect(a).toMatchObject({ code: 0, successful: 2, failed: 0 });
    expect(b).toMatchObject({ code: 0, successful: 2, failed: 0 });
  });

  it('a reliable 183 and its PRACK pass through the stateful proxy (record-routed)', async () => {
    e.onInvite = (req) => {
      const proxying = e.srf as unknown as { proxyRequest(r: unknown, d: string[], o: object): Promise<unknown> };
      proxying.proxyRequest(req, [`sip:callee@127.4.0.27:5060;transport=${transport}`], { remainInDialog: true }).catch(() => undefined);
    };
    const callee = runSipp({ scenario: UAS_RELIABLE, ip: '127.4.0.27', port: 5060, transport, calls: 1 });
    await sippStartDelay();
    const caller = runSipp({ scenario: UAC_PRACK, target: e.target, ip: '127.4.0.28', port: 5060, transport, calls: 1, keys: { require: 'Supported' } });
    const [a, b] = await Promise.all([caller.done, callee.done]);
    expect(a.errors).toBe('');
    expect(b.errors).toBe('');
    expect(a).toMatchObject({ code: 0, successful: 1, failed: 0 });
    expect(b).toMatchObject({ code: 0, successful: 1, failed: 0 });
  });
});
