import { describe, expect, it } from 'vitest';
import { LoopStats } from '../../../src/ops/media/loop-stats.js';

describe('media thread loop statistics', () => {
  it('counts the bytes allocated on the heap since the last reset, across collections', () => {
    const stats = new LoopStats({ countAllocation: true });
    stats.reset();
    let keep: number[][] = [];
    // ~40 MB of short-lived arrays: several scavenges happen in between
    for (let i = 0; i < 100_000; i++) {
      keep.push(new Array<number>(50).fill(i));
      if (keep.length > 100) keep = [];
    }
    const s = stats.snapshot();
    stats.stop();
    expect(keep.length).toBeGreaterThan(0);
    expect(s.gcPauses).toBeGreaterThanOrEqual(0);
    expect(s.allocatedBytes).toBeGreaterThan(30e6);
    expect(s.allocatedBytes).toBeLessThan(200e6);
  });

  it('counts nothing unless asked (the GC profiler lengthens every pause)', () => {
    const stats = new LoopStats();
    stats.reset();
    const s = stats.snapshot();
    stats.stop();
    expect(s.allocatedBytes).toBeNaN();
  });

  it('starts again from zero after a reset', () => {
    const stats = new LoopStats({ countAllocation: true });
    const junk: string[] = [];
    for (let i = 0; i < 10_000; i++) junk.push(`x${i}`.repeat(20));
    stats.reset();
    const s = stats.snapshot();
    stats.stop();
    expect(junk.length).toBe(10_000);
    expect(s.allocatedBytes).toBeLessThan(1e6);
  });
});
