import { beforeAll, describe, expect, it } from 'vitest';
import type Srf from 'drachtio-srf';
import { srfOnEngine } from '../helpers/srf-on-engine.js';
import { runSipp, sippStartDelay } from '../helpers/sipp.js';
import { until } from '../helpers/poll.js';

// CDR events (protocol doc §8) as unmodified drachtio-srf receives them from the embedded engine:
// srf.on('cdr:attempt' | 'cdr:start' | 'cdr:stop'). Engine 127.19.0.1; SIPp callers and callees
// on 127.19.0.2–.4.
const e = srfOnEngine({ host: '127.19.0.1', port: 5060 });
const SDP = 'v=0\r\no=- 1 1 IN IP4 127.19.0.1\r\ns=-\r\nc=IN IP4 127.19.0.1\r\nt=0 0\r\nm=audio 10000 RTP/AVP 0\r\n';

interface Cdr {
  kind: 'attempt' | 'start' | 'stop';
  source: string;
  time: string;
  /** role (start) or reason (stop) */
  detail?: string;
  /** the SIP message's first line */
  line: string;
  callId: string;
}

const records: Cdr[] = [];
function listen(srf: Srf): void {
  type SipMsg = { method?: string; status?: number; uri?: string; get(name: string): string | undefined };
  const first = (m: SipMsg): string => (m.method ? `${m.method} ${m.uri ?? ''}`.trim() : String(m.status));
  const on = srf.on.bind(srf) as unknown as (event: string, fn: (...args: unknown[]) => void) => void;
  on('cdr:attempt', (source, time, msg) => records.push({ kind: 'attempt', source: String(source), time: String(time), line: first(msg as SipMsg), callId: (msg as SipMsg).get('Call-ID') ?? '' }));
  for (const kind of ['start', 'stop'] as const) {
    on(`cdr:${kind}`, (source, time, detail, msg) =>
      records.push({ kind, source: String(source), time: String(time), detail: String(detail), line: first(msg as SipMsg), callId: (msg as SipMsg).get('Call-ID') ?? '' }),
    );
  }
}

/** The records of one call, without the time. */
const ofCall = (callId: string): Omit<Cdr, 'time' | 'callId'>[] =>
  records.filter((r) => r.callId === callId).map(({ kind, source, detail, line }) => ({ kind, source, line, ...(detail !== undefined && { detail }) }));

describe('CDR events to srf (cdr:attempt, cdr:start, cdr:stop)', () => {
  beforeAll(async () => {
    listen(e.srf);
    await new Promise((r) => setTimeout(r, 200)); // srf's route commands reach the engine
  });

  it('a SIPp call the app answers (createUAS) and SIPp hangs up: attempt from the network, start as uas, stop normal-release from the network; times as HH:MM:SS.uuuuuu', async () => {
    records.length = 0;
    e.onInvite = (req, res) => void e.srf.createUAS(req, res, { localSdp: req.body }).catch(() => undefined);
    const r = await runSipp({ scenario: 'uac', target: e.target, ip: '127.19.0.2', port: 5060, calls: 1, durationMs: 200 }).done;
    expect(r).toMatchObject({ code: 0, successful: 1 });
    await until('three records', () => records.length >= 3);
    const callId = records[0]!.callId;
    expect(ofCall(callId)).toEqual([
      { kind: 'attempt', source: 'network', line: expect.stringMatching(/^INVITE sip:/) },
      { kind: 'start', source: 'application', detail: 'uas', line: '200' },
      { kind: 'stop', source: 'network', detail: 'normal-release', line: expect.stringMatching(/^BYE sip:/) },
    ]);
    for (const rec of records) expect(rec.time).toMatch(/^\d\d:\d\d:\d\d\.\d{6}$/);
  });

  it('the app calls a SIPp UAS (createUAC) and hangs up: attempt from the application, start as uac from the network, stop normal-release from the application', async () => {
    records.length = 0;
    const uas = runSipp({ scenario: 'uas', ip: '127.19.0.3', port: 5060, calls: 1 });
    await sippStartDelay();
    const dialog = await e.srf.createUAC('sip:service@127.19.0.3:5060', { localSdp: SDP });
    dialog.destroy();
    expect(await uas.done).toMatchObject({ code: 0, successful: 1 });
    await until('three records', () => records.length >= 3);
    expect(ofCall(dialog.sip.callId)).toEqual([
      { kind: 'attempt', source: 'application', line: 'INVITE sip:service@127.19.0.3:5060' },
      { kind: 'start', source: 'network', detail: 'uac', line: '200' },
      { kind: 'stop', source: 'application', detail: 'normal-release', line: expect.stringMatching(/^BYE sip:/) },
    ]);
  });

  it("a B2BUA call the caller CANCELs while the callee rings: each leg's attempt, then stop call-canceled: the CANCEL from the caller, the 487 from the callee", async () => {
    records.length = 0;
    e.onInvite = (req, res) => void e.srf.createB2BUA(req, res, 'sip:callee@127.19.0.3:5060', { localSdpB: req.body }).catch(() => undefined);
    const callee = runSipp({ scenario: 'engine/uas-ring-until-cancel.xml', ip: '127.19.0.3', port: 5060, calls: 1 });
    await sippStartDelay();
    const caller = runSipp({ scenario: 'engine/uac-cancel-while-ringing.xml', target: e.target, ip: '127.19.0.2', port: 5060, calls: 1 });
    const [a, b] = await Promise.all([caller.done, callee.done]);
    expect(a).toMatchObject({ code: 0, successful: 1 });
    expect(b).toMatchObject({ code: 0, successful: 1 });
    await until('four records', () => records.length >= 4);
    const [callerLeg, calleeLeg] = [...new Set(records.map((r) => r.callId))];
    expect(ofCall(callerLeg!)).toEqual([
      { kind: 'attempt', source: 'network', line: expect.stringMatching(/^INVITE sip:/) },
      { kind: 'stop', source: 'network', detail: 'call-canceled', line: expect.stringMatching(/^CANCEL sip:/) },
    ]);
    expect(ofCall(calleeLeg!)).toEqual([
      { kind: 'attempt', source: 'application', line: 'INVITE sip:callee@127.19.0.3:5060' },
      { kind: 'stop', source: 'network', detail: 'call-canceled', line: '487' },
    ]);
  });

  it("a proxied call (srf.proxyRequest): attempt in and out, start as proxy-uac (the callee's 200) and proxy-uas (relayed upstream); a 486 relayed upstream stops it call-rejected", async () => {
    const proxy = (req: Srf.SrfRequest): void => {
      const p = (e.srf as unknown as { proxyRequest(r: unknown, d: string[], o: object): Promise<unknown> }).proxyRequest(req, ['sip:callee@127.19.0.3:5060'], { remainInDialog: true });
      p.catch(() => undefined);
    };
    records.length = 0;
    e.onInvite = (req) => proxy(req);
    // the BYE follows the Record-Route: relayed in the dialog, it makes no record here
    const callee = runSipp({ scenario: 'proxy/uas-answer-at-once.xml', ip: '127.19.0.3', port: 5060, calls: 1 });
    await sippStartDelay();
    const caller = runSipp({ scenario: 'proxy/uac-call-then-hang-up.xml', target: e.target, ip: '127.19.0.2', port: 5060, calls: 1 });
    const [a, b] = await Promise.all([caller.done, callee.done]);
    expect(a).toMatchObject({ code: 0, successful: 1 });
    expect(b).toMatchObject({ code: 0, successful: 1 });
    await until('four records', () => records.length >= 4);
    expect(ofCall(records[0]!.callId)).toEqual([
      { kind: 'attempt', source: 'network', line: expect.stringMatching(/^INVITE sip:/) },
      { kind: 'attempt', source: 'application', line: expect.stringMatching(/^INVITE sip:/) },
      { kind: 'start', source: 'network', detail: 'proxy-uac', line: '200' },
      { kind: 'start', source: 'application', detail: 'proxy-uas', line: '200' },
    ]);

    records.length = 0;
    const busy = runSipp({ scenario: 'proxy/uas-busy.xml', ip: '127.19.0.3', port: 5060, calls: 1 });
    await sippStartDelay();
    await runSipp({ scenario: 'uac', target: e.target, ip: '127.19.0.2', port: 5060, calls: 1 }).done;
    expect(await busy.done).toMatchObject({ code: 0, successful: 1 });
    await until('three records', () => records.length >= 3);
    expect(ofCall(records[0]!.callId).map((r) => [r.kind, r.source, r.detail, r.line])).toEqual([
      ['attempt', 'network', undefined, expect.stringMatching(/^INVITE sip:/)],
      ['attempt', 'application', undefined, expect.stringMatching(/^INVITE sip:/)],
      ['stop', 'application', 'call-rejected', '486'],
    ]);
  });

  it('a callee that answers 486: attempt, then stop call-rejected from the network; an app that rejects a caller: stop call-rejected from the application', async () => {
    records.length = 0;
    const busy = runSipp({ scenario: 'calls/device-busy.xml', ip: '127.19.0.4', port: 5060, calls: 1 });
    await sippStartDelay();
    const err = await e.srf.createUAC('sip:busy@127.19.0.4:5060', { localSdp: SDP }).catch((x: unknown) => x as { status?: number });
    expect(err).toMatchObject({ status: 486 });
    expect(await busy.done).toMatchObject({ code: 0, successful: 1 });
    await until('two records', () => records.length >= 2);
    expect(records.map(({ kind, source, detail, line }) => ({ kind, source, detail, line }))).toEqual([
      { kind: 'attempt', source: 'application', detail: undefined, line: 'INVITE sip:busy@127.19.0.4:5060' },
      { kind: 'stop', source: 'network', detail: 'call-rejected', line: '486' },
    ]);

    records.length = 0;
    e.onInvite = (_req, res) => res.send(603);
    const caller = await runSipp({ scenario: 'uac', target: e.target, ip: '127.19.0.2', port: 5060, calls: 1 }).done;
    expect(caller.successful).toBe(0); // SIPp's built-in uac wants a 200
    await until('two records', () => records.length >= 2);
    expect(records.map(({ kind, source, detail, line }) => ({ kind, source, detail, line }))).toEqual([
      { kind: 'attempt', source: 'network', detail: undefined, line: expect.stringMatching(/^INVITE sip:/) },
      { kind: 'stop', source: 'application', detail: 'call-rejected', line: '603' },
    ]);
  });
});
