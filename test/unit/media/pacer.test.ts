import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Pacer, type Tickable } from '../../../src/media/rtp/pacer.js';

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
    p.add({ pacedAt: 0, send: () => { throw new Error('boom'); } });
    p.add(member(log));
    vi.advanceTimersByTime(100);
    expect(log.length).toBeGreaterThanOrEqual(4);
  });
});
