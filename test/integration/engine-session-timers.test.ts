import { describe, expect, it } from 'vitest';
import type Srf from 'drachtio-srf';
import { srfOnEngine } from '../helpers/srf-on-engine.js';
import { runSipp, sippStartDelay } from '../helpers/sipp.js';
import { until } from '../helpers/media-calls.js';

// RFC 4028 through unmodified drachtio-srf on the embedded engine, timed as drachtio-server does.
// One session-timer second is 40 ms here: a 90 s session lasts 3.6 s, its refresh comes at ~1.8 s.
const MS_PER_SECOND = 40;
const ENGINE_IP = '127.8.0.10';
const SDP = 'v=0\r\no=- 1 1 IN IP4 127.8.0.10\r\ns=-\r\nc=IN IP4 127.8.0.10\r\nt=0 0\r\nm=audio 10000 RTP/AVP 0\r\n';
const e = srfOnEngine({ host: ENGINE_IP, port: 5060, wireHost: ENGINE_IP, sessionTimers: { msPerSecond: MS_PER_SECOND } });

/** The app answers with createUAS and records when and how each dialog ended. */
function answerAndWatch(ends: { at: number; reason: string | undefined }[]): void {
  e.onInvite = (req, res) => {
    e.srf
      .createUAS(req, res, { localSdp: SDP })
      .then((d) => d.on('destroy', (bye: Srf.SrfRequest) => ends.push({ at: Date.now(), reason: bye?.get('Reason') })))
      .catch(() => undefined);
  };
}

describe.each(['udp', 'tcp'] as const)('session timers over %s', (transport) => {
  it('a caller that offers Session-Expires: 90;refresher=uac and never refreshes gets a BYE at expiry; srf sees the BYE', async () => {
    const ends: { at: number; reason: string | undefined }[] = [];
    answerAndWatch(ends);
    const started = Date.now();
    const uac = runSipp({ scenario: 'engine/timers/uac-never-refreshes.xml', target: e.target, ip: '127.8.0.21', port: 5060, transport, calls: 1, keys: { se: '90' } });
    const r = await uac.done;
    expect(r.errors).toBe('');
    expect(r).toMatchObject({ code: 0, successful: 1, failed: 0 });
    await until('srf to see the dialog end', () => ends.length > 0);
    expect(ends).toHaveLength(1);
    expect(ends[0]!.reason).toContain('Session timer expired');
    const elapsed = ends[0]!.at - started;
    expect(elapsed).toBeGreaterThanOrEqual(90 * MS_PER_SECOND);
    expect(elapsed).toBeLessThan(90 * MS_PER_SECOND + 2_000);
  });

  it('a re-INVITE asking for less than Min-SE gets 422 with Min-SE: 90 and never reaches the app', async () => {
    const ends: { at: number; reason: string | undefined }[] = [];
    answerAndWatch(ends);
    const uac = runSipp({ scenario: 'engine/timers/uac-reinvite-too-small.xml', target: e.target, ip: '127.8.0.22', port: 5060, transport, calls: 1 });
    const r = await uac.done;
    expect(r.errors).toBe('');
    expect(r).toMatchObject({ code: 0, successful: 1, failed: 0 });
    await until('srf to see the dialog end', () => ends.length > 0);
    expect(ends).toHaveLength(1);
    expect(ends[0]!.reason).toBeUndefined();
  });

  it('srf.createUAC with Session-Expires: a callee that makes us the refresher receives the refreshing re-INVITE', async () => {
    const uas = runSipp({ scenario: 'engine/timers/uas-asks-us-to-refresh.xml', ip: '127.8.0.23', port: 5060, transport, calls: 1 });
    await sippStartDelay();
    const dialog = await e.srf.createUAC(`sip:callee@127.8.0.23:5060;transport=${transport}`, {
      localSdp: SDP,
      headers: { 'Session-Expires': '90', Supported: 'timer' },
    });
    await new Promise((r) => setTimeout(r, 70 * MS_PER_SECOND));
    dialog.destroy();
    const r = await uas.done;
    expect(r.errors).toBe('');
    expect(r).toMatchObject({ code: 0, successful: 1, failed: 0 });
  });
});

it('an offer below 90 s is raised to 90 in the 200 (drachtio-server answers it, no 422 on an initial INVITE)', async () => {
  const ends: { at: number; reason: string | undefined }[] = [];
  answerAndWatch(ends);
  const uac = runSipp({ scenario: 'engine/timers/uac-never-refreshes.xml', target: e.target, ip: '127.8.0.24', port: 5060, calls: 1, keys: { se: '30' } });
  const r = await uac.done;
  expect(r.errors).toBe('');
  expect(r).toMatchObject({ code: 0, successful: 1, failed: 0 });
  await until('srf to see the dialog end', () => ends.length > 0);
  expect(ends).toHaveLength(1);
});

it("the engine's own BYE at expiry is reported to a CDR subscriber as stop session-expired, from the application side", async () => {
  const stops: { source: string; reason: string; method: string | undefined; callId: string | undefined }[] = [];
  const on = e.srf.on.bind(e.srf) as unknown as (event: string, fn: (source: string, time: string, reason: string, msg: { method?: string; get(h: string): string | undefined }) => void) => void;
  on('cdr:stop', (source, _time, reason, msg) => stops.push({ source, reason, method: msg.method, callId: msg.get('Call-ID') }));
  await new Promise((r) => setTimeout(r, 200)); // srf's route command reaches the engine
  const ends: { at: number; reason: string | undefined }[] = [];
  answerAndWatch(ends);
  const uac = runSipp({ scenario: 'engine/timers/uac-never-refreshes.xml', target: e.target, ip: '127.8.0.25', port: 5060, calls: 1, keys: { se: '90' } });
  expect(await uac.done).toMatchObject({ code: 0, successful: 1, failed: 0 });
  await until('the stop record', () => stops.length > 0);
  expect(stops).toEqual([{ source: 'application', reason: 'session-expired', method: 'BYE', callId: expect.stringContaining('@127.8.0.25') }]);
});
