import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import pino from 'pino';
import { RegistrationClient } from '../../../src/app/trunks/registration-client.js';
import type { RegisterAnswer } from '../../../src/app/trunks/register-request.js';
import { nextRegistrationState, refreshDelayMs, RegistrationState as S, retryDelayMs } from '../../../src/app/trunks/registration-state.js';
import type { LeaseStore } from '../../../src/store/lease-store.js';

describe('nextRegistrationState (the guarded transition function)', () => {
  const table: [S, Parameters<typeof nextRegistrationState>[1], S | undefined][] = [
    [S.Idle, { type: 'lease', held: true }, S.Registering],
    [S.Idle, { type: 'lease', held: false }, S.Standby],
    [S.Idle, { type: 'timer' }, undefined],
    [S.Standby, { type: 'lease', held: true }, S.Registering],
    [S.Standby, { type: 'accepted' }, undefined],
    [S.Standby, { type: 'stop' }, S.Stopped],
    [S.Registering, { type: 'accepted' }, S.Registered],
    [S.Registering, { type: 'rejected' }, S.Failed],
    [S.Registering, { type: 'lease', held: true }, undefined],
    [S.Registering, { type: 'lease', held: false }, S.Standby],
    [S.Registering, { type: 'timer' }, undefined],
    [S.Registered, { type: 'timer' }, S.Registering],
    [S.Registered, { type: 'lease', held: false }, S.Standby],
    [S.Registered, { type: 'stop' }, S.Unregistering],
    [S.Registered, { type: 'accepted' }, undefined],
    [S.Failed, { type: 'timer' }, S.Registering],
    [S.Failed, { type: 'stop' }, S.Stopped],
    [S.Failed, { type: 'accepted' }, undefined],
    [S.Unregistering, { type: 'accepted' }, S.Stopped],
    [S.Unregistering, { type: 'done' }, S.Stopped],
    [S.Unregistering, { type: 'timer' }, undefined],
    [S.Stopped, { type: 'lease', held: true }, undefined],
    [S.Stopped, { type: 'timer' }, undefined],
  ];
  it.each(table)('%s + %o → %s', (state, event, next) => {
    expect(nextRegistrationState(state, event)).toBe(next);
  });

  it('refreshes at 90% of the grant and backs off exponentially up to a maximum', () => {
    expect(refreshDelayMs(3600)).toBe(3_240_000);
    expect(refreshDelayMs(1)).toBe(1000);
    expect([1, 2, 3, 4, 10].map((n) => retryDelayMs(n, 5000, 60_000))).toEqual([5000, 10_000, 20_000, 40_000, 60_000]);
  });
});

describe('RegistrationClient (fake timers)', () => {
  let answers: RegisterAnswer[];
  let sent: { expires: number; callId: string; cseq: number }[];
  let leaseHeld: boolean;
  const lease: LeaseStore = { hold: async () => leaseHeld, release: async () => undefined, close: async () => undefined };
  const send = async (expires: number, callId: string, cseq: number): Promise<RegisterAnswer> => {
    sent.push({ expires, callId, cseq });
    return answers.shift() ?? { status: 200, expires };
  };
  const client = () =>
    new RegistrationClient({ send, lease, leaseName: 'reg:t:x', holder: 'me', expires: 3600, log: pino({ level: 'silent' }), leaseTtlMs: 30_000, retryBaseMs: 5000, retryMaxMs: 60_000 });

  beforeEach(() => {
    vi.useFakeTimers();
    answers = [];
    sent = [];
    leaseHeld = true;
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('Idle → Registering → Registered on the lease; refreshes at 90% of the grant on the same Call-ID with a higher CSeq', async () => {
    const c = client();
    answers.push({ status: 200, expires: 100 });
    c.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(c.state).toBe(S.Registered);
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(89_000);
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sent).toHaveLength(2);
    expect(sent[1]!.callId).toBe(sent[0]!.callId);
    expect(sent[1]!.cseq).toBeGreaterThan(sent[0]!.cseq + 1);
    expect(c.state).toBe(S.Registered);
  });

  it('Failed: retries with back-off 5 s, 10 s, then registers and resets the failure count', async () => {
    const c = client();
    answers.push({ status: 403 }, { status: 503 }, { status: 200, expires: 3600 });
    c.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(c.status()).toMatchObject({ state: S.Failed, failures: 1, lastStatus: 403 });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(c.status()).toMatchObject({ state: S.Failed, failures: 2, lastStatus: 503 });
    await vi.advanceTimersByTimeAsync(9_999);
    expect(sent).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(c.status()).toMatchObject({ state: S.Registered, failures: 0, lastStatus: 200 });
  });

  it('423 Interval Too Brief: asks again at once with the Min-Expires', async () => {
    const c = client();
    answers.push({ status: 423, minExpires: 7200 });
    c.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(c.state).toBe(S.Registered);
    expect(sent.map((s) => s.expires)).toEqual([3600, 7200]);
  });

  it('Standby while another instance holds the lease; takes over (registers) when the lease becomes ours', async () => {
    leaseHeld = false;
    const c = client();
    c.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(c.state).toBe(S.Standby);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(sent).toHaveLength(0);
    leaseHeld = true;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(c.state).toBe(S.Registered);
    expect(sent).toHaveLength(1);
  });

  it('Registered → Standby when the lease is lost: no more refreshes', async () => {
    const c = client();
    answers.push({ status: 200, expires: 60 });
    c.start();
    await vi.advanceTimersByTimeAsync(0);
    leaseHeld = false;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(c.state).toBe(S.Standby);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(sent).toHaveLength(1);
  });

  it('stop while Registered sends Expires: 0 and ends Stopped; stop in Standby sends nothing', async () => {
    const c = client();
    c.start();
    await vi.advanceTimersByTimeAsync(0);
    await c.stop();
    expect(c.state).toBe(S.Stopped);
    expect(sent.map((s) => s.expires)).toEqual([3600, 0]);

    leaseHeld = false;
    sent = [];
    const d = client();
    d.start();
    await vi.advanceTimersByTimeAsync(0);
    await d.stop();
    expect(d.state).toBe(S.Stopped);
    expect(sent).toHaveLength(0);
  });

  it('a late answer after stop is ignored (no transition out of Stopped)', async () => {
    let resolveLate: (a: RegisterAnswer) => void = () => undefined;
    const slow = new RegistrationClient({
      send: () => new Promise<RegisterAnswer>((r) => (resolveLate = r)),
      lease,
      leaseName: 'n',
      holder: 'me',
      expires: 3600,
      log: pino({ level: 'silent' }),
    });
    slow.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(slow.state).toBe(S.Registering);
    await slow.stop();
    resolveLate({ status: 200, expires: 3600 });
    await vi.advanceTimersByTimeAsync(0);
    expect(slow.state).toBe(S.Stopped);
  });
});
