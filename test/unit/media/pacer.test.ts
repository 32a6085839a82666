import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LatenessHistogram, Pacer, type Tickable } from '../../../src/media/rtp/pacer.js';

function member(log: number[]): Tickable {
  return { pacedAt: 0, send: () => void log.push(performance.now()) };
}

describe('the shared pacer', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] }));
  afterEach(() => vi.useRealTimers());

  it('ticks every member every 20 ms from one timer chain, members spread over 5 ms phases', () => {
    const p = new Pacer();
    const logs = Array.from({ length: 8 }, () => [] as number[]);
    const ms = logs.map(member);
    ms.forEach((m) => p.add(m));
    vi.advanceTimersByTime(200);
    for (const log of logs) {
      expect(log.length).toBeGreaterThanOrEqual(9);
      for (let i = 1; i < log.length; i++) expect(log[i]! - log[i - 1]!).toBeCloseTo(20, 0);
    }
    const first = Math.min(...logs.map((l) => l[0]!));
    const phases = new Set(logs.map((l) => Math.round(l[0]! - first) % 20));
    expect([...phases].sort((a, b) => a - b)).toEqual([0, 5, 10, 15]);
    expect(vi.getTimerCount()).toBe(1);
    expect(p.intervalError.percentile(0.99)).toBeLessThanOrEqual(1);
    ms.forEach((m) => p.remove(m));
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a failing member does not stop the others', () => {
    const p = new Pacer();
    const log: number[] = [];
    p.add({
      pacedAt: 0,
      send: () => {
        throw new Error('boom');
      },
    });
    p.add(member(log));
    vi.advanceTimersByTime(100);
    expect(log.length).toBeGreaterThanOrEqual(4);
  });

  it('a snapshot is plain data that survives structured cloning, and histograms of several pacers merge', () => {
    const a = new Pacer();
    const b = new Pacer();
    const ms = [member([]), member([]), member([])];
    a.add(ms[0]!);
    b.add(ms[1]!);
    b.add(ms[2]!);
    vi.advanceTimersByTime(200);
    const sa = structuredClone(a.snapshot());
    const sb = structuredClone(b.snapshot());
    expect(sa.members).toBe(1);
    expect(sb.members).toBe(2);
    const all = new LatenessHistogram();
    all.merge(sa.intervalError);
    all.merge(sb.intervalError);
    expect(all.count).toBe(a.intervalError.count + b.intervalError.count);
    expect(all.count).toBeGreaterThan(20);
    expect(all.percentile(1)).toBeLessThanOrEqual(1);
    // the snapshot is a copy: resetting the pacer leaves it alone
    b.resetStats();
    expect(b.intervalError.count).toBe(0);
    expect(b.wakeLateness.count).toBe(0);
    expect(sb.intervalError.reduce((x, y) => x + y, 0)).toBeGreaterThan(0);
    a.remove(ms[0]!);
    b.remove(ms[1]!);
    b.remove(ms[2]!);
  });
});
