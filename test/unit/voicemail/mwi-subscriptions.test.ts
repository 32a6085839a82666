import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MwiSubscriptions, type MwiSubscription } from '../../../src/app/voicemail/mwi-subscriptions.js';

const sub = (dialogId: string, extension = '101', deviceUser = extension) => ({ dialogId, tenant: 'demo', extension, deviceUser, account: `sip:${extension}@demo.local` });

describe('MWI subscription table', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a subscription expires after its seconds and is handed to onExpiry once; a refresh restarts the clock', () => {
    const expired: MwiSubscription[] = [];
    const t = new MwiSubscriptions((s) => expired.push(s));
    t.put(sub('d1'), 60);
    vi.advanceTimersByTime(50_000);
    t.put(sub('d1'), 60); // refreshed at 50 s: now lasts until 110 s
    vi.advanceTimersByTime(50_000);
    expect(expired).toEqual([]);
    expect(t.get('d1')).toBeDefined();
    vi.advanceTimersByTime(10_001);
    expect(expired.map((s) => s.dialogId)).toEqual(['d1']);
    expect(t.get('d1')).toBeUndefined();
    expect(t.size).toBe(0);
  });

  it('removed subscriptions never expire; ofMailbox lists only that tenant/extension', () => {
    const expired: MwiSubscription[] = [];
    const t = new MwiSubscriptions((s) => expired.push(s));
    t.put(sub('d1'), 60);
    t.put(sub('d2', '101', '101_2'), 60);
    t.put(sub('d3', '100'), 60);
    expect(
      t
        .ofMailbox('demo', '101')
        .map((s) => s.deviceUser)
        .sort(),
    ).toEqual(['101', '101_2']);
    expect(t.ofMailbox('other', '101')).toEqual([]);
    expect(t.remove('d1')?.dialogId).toBe('d1');
    expect(t.remove('d1')).toBeUndefined();
    t.clear();
    vi.advanceTimersByTime(120_000);
    expect(expired).toEqual([]);
    expect(t.size).toBe(0);
  });
});
