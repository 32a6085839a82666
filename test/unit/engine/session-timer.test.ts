import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseSessionExpires, SessionTimer, SessionTimerState, type SessionTimerClock } from '../../../src/engine/dialog/session-timer.js';

function recordingUser(): { refreshes: number[]; expiries: number; refresh(s: number): void; expire(): void } {
  const u = {
    refreshes: [] as number[],
    expiries: 0,
    refresh: (s: number) => void u.refreshes.push(s),
    expire: () => void u.expiries++,
  };
  return u;
}

// no jitter unless a test asks for it
const clock = (random = 0): SessionTimerClock => ({ msPerSecond: 1000, random: () => random });

describe('session timer (RFC 4028 as drachtio-server times it)', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('starts Off and arms nothing', () => {
    const u = recordingUser();
    const t = new SessionTimer(u, clock());
    expect(t.state).toBe(SessionTimerState.Off);
    vi.advanceTimersByTime(10_000_000);
    expect(u).toMatchObject({ refreshes: [], expiries: 0 });
  });

  it('Refreshing: the refresher sends its refresh halfway through the interval, then the timer is Off', () => {
    const u = recordingUser();
    const t = new SessionTimer(u, clock());
    t.start(90, 'us');
    expect(t.state).toBe(SessionTimerState.Refreshing);
    vi.advanceTimersByTime(44_999);
    expect(u.refreshes).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(u.refreshes).toEqual([90]);
    expect(t.state).toBe(SessionTimerState.Off);
    vi.advanceTimersByTime(1_000_000);
    expect(u).toMatchObject({ refreshes: [90], expiries: 0 });
  });

  it('Refreshing: the refresh time is spread by up to ±5 s, like drachtio-server', () => {
    const early = recordingUser();
    new SessionTimer(early, clock(-0.5)).start(90, 'us');
    vi.advanceTimersByTime(40_000);
    expect(early.refreshes).toEqual([90]);
    const late = recordingUser();
    new SessionTimer(late, clock(0.49)).start(90, 'us');
    vi.advanceTimersByTime(49_800);
    expect(late.refreshes).toEqual([]);
    vi.advanceTimersByTime(200);
    expect(late.refreshes).toEqual([90]);
  });

  it('Watching: without a refresh the session expires at the full interval', () => {
    const u = recordingUser();
    const t = new SessionTimer(u, clock());
    t.start(120, 'them');
    expect(t.state).toBe(SessionTimerState.Watching);
    vi.advanceTimersByTime(119_999);
    expect(u.expiries).toBe(0);
    vi.advanceTimersByTime(1);
    expect(u.expiries).toBe(1);
    expect(t.state).toBe(SessionTimerState.Off);
  });

  it('Watching: a refresh (stop, then start again) pushes the expiry out', () => {
    const u = recordingUser();
    const t = new SessionTimer(u, clock());
    t.start(90, 'them');
    vi.advanceTimersByTime(80_000);
    t.stop();
    expect(t.state).toBe(SessionTimerState.Off);
    t.start(90, 'them');
    vi.advanceTimersByTime(89_999);
    expect(u.expiries).toBe(0);
    vi.advanceTimersByTime(1);
    expect(u.expiries).toBe(1);
  });

  it('a new negotiation replaces the running timer (one deadline at a time)', () => {
    const u = recordingUser();
    const t = new SessionTimer(u, clock());
    t.start(90, 'them');
    t.start(200, 'us');
    vi.advanceTimersByTime(95_000);
    expect(u).toMatchObject({ refreshes: [], expiries: 0 });
    vi.advanceTimersByTime(5_000);
    expect(u.refreshes).toEqual([200]);
  });

  it('Ended: the dialog is gone; nothing fires and nothing re-arms', () => {
    const u = recordingUser();
    const t = new SessionTimer(u, clock());
    t.start(90, 'them');
    t.end();
    expect(t.state).toBe(SessionTimerState.Ended);
    t.start(90, 'us');
    expect(t.state).toBe(SessionTimerState.Ended);
    vi.advanceTimersByTime(1_000_000);
    expect(u).toMatchObject({ refreshes: [], expiries: 0 });
  });

  it('msPerSecond scales every deadline (tests run a 90 s session in 4.5 s)', () => {
    const u = recordingUser();
    new SessionTimer(u, { msPerSecond: 50, random: () => 0 }).start(90, 'them');
    vi.advanceTimersByTime(4_499);
    expect(u.expiries).toBe(0);
    vi.advanceTimersByTime(1);
    expect(u.expiries).toBe(1);
  });
});

describe('Session-Expires parsing (RFC 4028 §4)', () => {
  it.each([
    ['1800', { delta: 1800, refresher: undefined }],
    ['90;refresher=uac', { delta: 90, refresher: 'uac' }],
    ['4000; refresher = UAS ;x=1', { delta: 4000, refresher: 'uas' }],
  ])('%s', (value, want) => {
    expect(parseSessionExpires(value)).toEqual(want);
  });

  it.each([undefined, '', 'abc', '-5'])('%s is no Session-Expires', (value) => {
    expect(parseSessionExpires(value)).toBeUndefined();
  });
});
