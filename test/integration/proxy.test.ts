import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type Srf from 'drachtio-srf';
import { gaugesSettled, startEngine, type Harness } from '../helpers/engine-harness.js';
import { runSipp as startSipp, sippStartDelay, type SippOptions, type SippResult } from '../helpers/sipp.js';

// srf.proxyRequest on the embedded engine: SIPp callers and callees on 127.0.0.40-49.
const ENGINE_IP = '127.0.0.11';
let h: Harness;
let srf: Srf;
let target = '';

interface ProxyOutcome {
  connected: boolean;
  finalStatus?: number;
  responses: { address: string; port: number; msgs: { status: number }[] }[];
}
type InviteHandler = (req: Srf.SrfRequest, res: Srf.SrfResponse) => void;
let onInvite: InviteHandler = (_req, res) => res.send(480);
let outcomes: Array<ProxyOutcome | Error> = [];
const running: Array<() => void> = [];
/** SIPp processes of a failed test must not outlive it (they would hold their addresses). */
function runSipp(o: SippOptions): ReturnType<typeof startSipp> {
  const r = startSipp(o);
  running.push(r.kill);
  return r;
}

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
  for (const kill of running.splice(0)) kill();
  outcomes = [];
  const s = await gaugesSettled(h.engine);
  expect(s).toMatchObject({ transactions: 0, dialogs: 0, proxyContexts: 0, pendingAppRequests: 0 });
});

function proxyTo(destinations: string[], opts: Record<string, unknown>): InviteHandler {
  return (req) => {
    const p = (srf as unknown as { proxyRequest(r: unknown, d: string[], o: object): Promise<ProxyOutcome> }).proxyRequest(req, destinations, opts);
    p.then(
      (o) => outcomes.push(o),
      (e: unknown) => outcomes.push(e instanceof Error ? e : new Error(String(e))),
    );
  };
}

function ok(r: SippResult, n: number, who: string): void {
  if (r.code !== 0 || r.successful !== n) console.log(who, r.stderr, r.errors);
  expect(r, who).toMatchObject({ successful: n, failed: 0 });
}

describe.each(['udp', 'tcp'] as const)('srf.proxyRequest over %s', (transport) => {
  const t = transport === 'tcp' ? ';transport=tcp' : '';

  it('forks simultaneously: one branch answers, the ringing one is cancelled; BYE follows the Record-Route', async () => {
    onInvite = proxyTo([`sip:a@127.0.0.41:5060${t}`, `sip:b@127.0.0.42:5060${t}`], { forking: 'simultaneous', remainInDialog: true });
    const answering = runSipp({ scenario: 'proxy/uas-ring-then-answer.xml', ip: '127.0.0.41', port: 5060, transport, calls: 2 });
    const ringing = runSipp({ scenario: 'engine/uas-ring-until-cancel.xml', ip: '127.0.0.42', port: 5060, transport, calls: 2 });
    await sippStartDelay();
    const caller = runSipp({ scenario: 'proxy/uac-two-rings-then-answer.xml', target, ip: '127.0.0.40', port: 5060, transport, calls: 2, rate: 5 });
    const [c, a, b] = await Promise.all([caller.done, answering.done, ringing.done]);
    ok(c, 2, 'caller');
    ok(a, 2, 'answering callee');
    ok(b, 2, 'ringing callee');
    expect(outcomes).toHaveLength(2);
    for (const o of outcomes) expect(o).toMatchObject({ connected: true, finalStatus: 200 });
  });

  it('serial forking tries the second target after the first is busy', async () => {
    onInvite = proxyTo([`sip:a@127.0.0.43:5060${t}`, `sip:b@127.0.0.44:5060${t}`], { remainInDialog: true });
    const busy = runSipp({ scenario: 'proxy/uas-busy.xml', ip: '127.0.0.43', port: 5060, transport, calls: 2 });
    const second = runSipp({ scenario: 'proxy/uas-answer-at-once.xml', ip: '127.0.0.44', port: 5060, transport, calls: 2 });
    await sippStartDelay();
    const caller = runSipp({ scenario: 'proxy/uac-call-then-hang-up.xml', target, ip: '127.0.0.40', port: 5060, transport, calls: 2, rate: 5 });
    const [c, a, b] = await Promise.all([caller.done, busy.done, second.done]);
    ok(c, 2, 'caller');
    ok(a, 2, 'busy callee');
    ok(b, 2, 'second callee');
    for (const o of outcomes) {
      expect(o).toMatchObject({ connected: true, finalStatus: 200 });
      const statuses = (o as ProxyOutcome).responses.flatMap((r) => r.msgs.map((m) => m.status));
      expect(statuses).toEqual([486, 200]);
    }
  });

  it("the caller's CANCEL reaches every ringing branch", async () => {
    onInvite = proxyTo([`sip:a@127.0.0.45:5060${t}`, `sip:b@127.0.0.46:5060${t}`], { forking: 'simultaneous', remainInDialog: true });
    const one = runSipp({ scenario: 'engine/uas-ring-until-cancel.xml', ip: '127.0.0.45', port: 5060, transport, calls: 2 });
    const two = runSipp({ scenario: 'engine/uas-ring-until-cancel.xml', ip: '127.0.0.46', port: 5060, transport, calls: 2 });
    await sippStartDelay();
    const caller = runSipp({ scenario: 'proxy/uac-cancel-after-two-rings.xml', target, ip: '127.0.0.40', port: 5060, transport, calls: 2, rate: 5 });
    const [c, a, b] = await Promise.all([caller.done, one.done, two.done]);
    ok(c, 2, 'caller');
    ok(a, 2, 'first ringing callee');
    ok(b, 2, 'second ringing callee');
    for (const o of outcomes) expect(o).toMatchObject({ connected: false, finalStatus: 487 });
  });

  it('Max-Forwards 0 is answered 483 and srf gets the NOK reason', async () => {
    onInvite = proxyTo([`sip:a@127.0.0.47:5060${t}`], { remainInDialog: true });
    const caller = runSipp({ scenario: 'proxy/uac-max-forwards-zero-gets-483.xml', target, ip: '127.0.0.40', port: 5060, transport, calls: 1 });
    ok(await caller.done, 1, 'caller');
    expect(String(outcomes[0])).toMatch(/483 Too Many Hops/);
  });

  it('record-routed in-dialog BYE from the callee reaches the caller', async () => {
    onInvite = proxyTo([`sip:a@127.0.0.48:5060${t}`], { remainInDialog: true });
    const callee = runSipp({ scenario: 'proxy/uas-answer-then-hang-up.xml', ip: '127.0.0.48', port: 5060, transport, calls: 2 });
    await sippStartDelay();
    const caller = runSipp({ scenario: 'engine/uac-wait-for-bye.xml', target, ip: '127.0.0.40', port: 5060, transport, calls: 2, rate: 5 });
    const [c, a] = await Promise.all([caller.done, callee.done]);
    ok(c, 2, 'caller');
    ok(a, 2, 'callee');
  });
});

describe('proxy timers and failures', () => {
  it('a branch that never answers finally times out (finalTimeout): CANCEL, then the next serial target', { timeout: 20_000 }, async () => {
    onInvite = proxyTo(['sip:a@127.0.0.49:5060', 'sip:b@127.0.0.44:5060'], { remainInDialog: true, finalTimeout: '1s' });
    const silent = runSipp({ scenario: 'engine/uas-ring-until-cancel.xml', ip: '127.0.0.49', port: 5060, calls: 1 });
    const second = runSipp({ scenario: 'proxy/uas-answer-at-once.xml', ip: '127.0.0.44', port: 5060, calls: 1 });
    await sippStartDelay();
    const caller = runSipp({ scenario: 'proxy/uac-call-then-hang-up.xml', target, ip: '127.0.0.40', port: 5060, calls: 1 });
    const [c, a, b] = await Promise.all([caller.done, silent.done, second.done]);
    ok(c, 1, 'caller');
    ok(a, 1, 'ringing callee');
    ok(b, 1, 'second callee');
  });

  it('no reachable target at all: 408 or 503 upstream, srf resolves not connected', async () => {
    // nobody listens on 127.0.0.50: ICMP unreachable over UDP, so the client transaction times out (Timer B)
    onInvite = proxyTo(['sip:nobody@127.0.0.50:5060;transport=tcp'], {});
    const caller = runSipp({ scenario: 'engine/uac-cancel-while-ringing.xml', target, ip: '127.0.0.40', port: 5060, calls: 1, timeoutSec: 10 });
    await caller.done;
    expect(outcomes[0]).toMatchObject({ connected: false });
    expect([408, 503]).toContain((outcomes[0] as ProxyOutcome).finalStatus);
  });
});
