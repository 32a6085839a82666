import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type Srf from 'drachtio-srf';
import { gaugesSettled, startEngine, type Harness } from '../helpers/engine-harness.js';
import { runSipp, sippStartDelay } from '../helpers/sipp.js';

// Unmodified drachtio-srf connected to the embedded engine, SIPp as the far ends.
const ENGINE_IP = '127.0.0.10';
let h: Harness;
let srf: Srf;
let target = '';

type InviteHandler = (req: Srf.SrfRequest, res: Srf.SrfResponse) => void;
let onInvite: InviteHandler = (_req, res) => res.send(480);

beforeAll(async () => {
  h = await startEngine({ host: ENGINE_IP, port: 5060 });
  target = `${ENGINE_IP}:${h.sipPort}`;
  srf = await h.connectApp();
  srf.invite((req, res) => onInvite(req, res));
});

afterAll(async () => {
  await h.stop();
});

afterEach(async () => {
  const s = await gaugesSettled(h.engine);
  expect(s).toMatchObject({ transactions: 0, dialogs: 0, proxyContexts: 0, pendingAppRequests: 0 });
});

/** B2BUA that propagates hang-ups, re-INVITEs and INFO between the legs. */
function bridgeTo(uri: string): InviteHandler {
  return (req, res) => {
    srf
      .createB2BUA(req, res, uri, { localSdpB: req.body })
      .then(({ uas, uac }) => {
        uas.on('destroy', () => uac.destroy());
        uac.on('destroy', () => uas.destroy());
        // a BYE that reached srf before this callback ran fired 'destroy' with nobody listening
        const connected = (d: object): boolean => (d as { connected?: boolean }).connected !== false;
        if (!connected(uas)) uac.destroy();
        else if (!connected(uac)) uas.destroy();
        uas.on('modify', (r: Srf.SrfRequest, s: Srf.SrfResponse) => {
          uac.modify(r.body).then(
            (sdp) => s.send(200, { body: sdp }),
            () => s.send(500),
          );
        });
        uas.on('info', (r: Srf.SrfRequest, s: Srf.SrfResponse) => {
          uac.request({ method: 'INFO', headers: { 'Content-Type': r.get('Content-Type') }, body: r.body } as unknown as Srf.SrfRequest).then(
            (answer) => s.send(answer.status),
            () => s.send(500),
          );
        });
      })
      .catch(() => undefined);
  };
}

describe.each(['udp', 'tcp'] as const)('drachtio-srf on the embedded engine over %s', (transport) => {
  it('srf.createUAS answers a SIPp call', async () => {
    onInvite = (req, res) => void srf.createUAS(req, res, { localSdp: req.body }).catch(() => undefined);
    const uac = runSipp({ scenario: 'uac', target, ip: '127.0.0.21', port: 5060, transport, calls: 5, rate: 10, durationMs: 200 });
    const r = await uac.done;
    expect(r.errors).toBe('');
    expect(r).toMatchObject({ code: 0, successful: 5, failed: 0 });
  });

  it('srf.createUAC calls a SIPp UAS and hangs up', async () => {
    const uas = runSipp({ scenario: 'uas', ip: '127.0.0.22', port: 5060, transport, calls: 1 });
    await sippStartDelay();
    const dialog = await srf.createUAC(`sip:service@127.0.0.22:5060;transport=${transport}`, {
      localSdp: 'v=0\r\no=- 1 1 IN IP4 127.0.0.10\r\ns=-\r\nc=IN IP4 127.0.0.10\r\nt=0 0\r\nm=audio 10000 RTP/AVP 0\r\n',
    });
    expect(dialog.sip.callId).toBeTruthy();
    dialog.destroy();
    const r = await uas.done;
    expect(r).toMatchObject({ code: 0, successful: 1, failed: 0 });
  });

  it('srf.createB2BUA bridges a SIPp caller to a SIPp callee; BYE from the caller ends both legs', async () => {
    onInvite = bridgeTo(`sip:callee@127.0.0.23:5060;transport=${transport}`);
    const callee = runSipp({ scenario: 'uas', ip: '127.0.0.23', port: 5060, transport, calls: 3 });
    await sippStartDelay();
    const caller = runSipp({ scenario: 'uac', target, ip: '127.0.0.24', port: 5060, transport, calls: 3, rate: 10, durationMs: 200 });
    const [a, b] = await Promise.all([caller.done, callee.done]);
    if (a.code !== 0 || b.code !== 0) console.log('SIPP', a.stderr, a.errors, b.stderr, b.errors);
    expect(a).toMatchObject({ code: 0, successful: 3, failed: 0 });
    expect(b).toMatchObject({ code: 0, successful: 3, failed: 0 });
  });

  it('BYE from the callee ends both legs', async () => {
    onInvite = bridgeTo(`sip:callee@127.0.0.23:5060;transport=${transport}`);
    const callee = runSipp({ scenario: 'engine/uas-answer-then-hangup.xml', ip: '127.0.0.23', port: 5060, transport, calls: 2 });
    await sippStartDelay();
    const caller = runSipp({ scenario: 'engine/uac-wait-for-bye.xml', target, ip: '127.0.0.24', port: 5060, transport, calls: 2, rate: 10 });
    const [a, b] = await Promise.all([caller.done, callee.done]);
    if (a.code !== 0 || b.code !== 0) console.log('SIPP', a.stderr, a.errors, b.stderr, b.errors);
    expect(a).toMatchObject({ code: 0, successful: 2, failed: 0 });
    expect(b).toMatchObject({ code: 0, successful: 2, failed: 0 });
  });

  it('re-INVITE and INFO inside the dialog pass through the B2BUA', async () => {
    onInvite = bridgeTo(`sip:callee@127.0.0.23:5060;transport=${transport}`);
    const callee = runSipp({ scenario: 'engine/uas-answer-reinvite-info.xml', ip: '127.0.0.23', port: 5060, transport, calls: 2 });
    await sippStartDelay();
    const caller = runSipp({ scenario: 'engine/uac-reinvite-info.xml', target, ip: '127.0.0.24', port: 5060, transport, calls: 2, rate: 10 });
    const [a, b] = await Promise.all([caller.done, callee.done]);
    if (a.code !== 0 || b.code !== 0) console.log('SIPP', a.stderr, a.errors, b.stderr, b.errors);
    expect(a).toMatchObject({ code: 0, successful: 2, failed: 0 });
    expect(b).toMatchObject({ code: 0, successful: 2, failed: 0 });
  });

  it("the caller's CANCEL while the callee rings ends both legs (200/487/ACK)", async () => {
    onInvite = bridgeTo(`sip:callee@127.0.0.23:5060;transport=${transport}`);
    const callee = runSipp({ scenario: 'engine/uas-ring-until-cancel.xml', ip: '127.0.0.23', port: 5060, transport, calls: 2 });
    await sippStartDelay();
    const caller = runSipp({ scenario: 'engine/uac-cancel-while-ringing.xml', target, ip: '127.0.0.24', port: 5060, transport, calls: 2, rate: 10 });
    const [a, b] = await Promise.all([caller.done, callee.done]);
    if (a.code !== 0 || b.code !== 0) console.log('SIPP', a.stderr, a.errors, b.stderr, b.errors);
    expect(a).toMatchObject({ code: 0, successful: 2, failed: 0 });
    expect(b).toMatchObject({ code: 0, successful: 2, failed: 0 });
  });

  it('srf.request sends OPTIONS and gets the response', async () => {
    const uas = runSipp({ scenario: 'engine/uas-options.xml', ip: '127.0.0.26', port: 5060, transport, calls: 1 });
    await sippStartDelay();
    const status = await new Promise<number>((resolve, reject) => {
      const send = srf.request as unknown as (uri: string, opts: object, cb: (err: Error | null, req: { on(e: 'response', f: (res: { status: number }) => void): void }) => void) => void;
      send.call(srf, `sip:ping@127.0.0.26:5060;transport=${transport}`, { method: 'OPTIONS' }, (err, req) => {
        if (err) return reject(err);
        req.on('response', (res) => resolve(res.status));
      });
    });
    expect(status).toBe(200);
    expect((await uas.done).successful).toBe(1);
  });
});

describe('retransmissions', () => {
  it('with 5% packet loss on both SIPp sides, B2BUA calls still complete', async () => {
    onInvite = bridgeTo('sip:callee@127.0.0.27:5060');
    const callee = runSipp({ scenario: 'engine/uas-answer-under-loss.xml', ip: '127.0.0.27', port: 5060, calls: 10, lost: 5, timeoutSec: 60 });
    await sippStartDelay();
    const caller = runSipp({ scenario: 'uac', target, ip: '127.0.0.28', port: 5060, calls: 10, rate: 5, durationMs: 200, lost: 5, timeoutSec: 60 });
    const [a, b] = await Promise.all([caller.done, callee.done]);
    if (a.code !== 0 || b.code !== 0) console.log('SIPP', a.stderr, a.errors, b.stderr, b.errors);
    expect(a).toMatchObject({ successful: 10, failed: 0 });
    expect(b).toMatchObject({ successful: 10, failed: 0 });
  }, 90_000);
});
