import { PerformanceObserver, performance, type EventLoopUtilization } from 'node:perf_hooks';
import { GCProfiler, getHeapStatistics } from 'node:v8';

/** What kept a thread's event loop from its timers: garbage-collection pauses and how busy it was. */
export interface LoopSnapshot {
  gcPauses: number;
  gcMs: number;
  gcMaxMs: number;
  /** pauses longer than 2 ms (each makes the pacer's wake-up during it late by as much) */
  gcOver2Ms: number;
  /** bytes allocated on this thread's JS heap since the last reset (Buffer contents are outside it); NaN unless counted */
  allocatedBytes: number;
  /** event-loop utilisation since the last reset, 0–1 */
  utilisation: number;
}

/**
 * Bytes allocated on the calling thread's heap. V8 (in Node 20) exposes no allocation counter, but
 * a GCProfiler reports the used heap before and after every collection: what was allocated is the
 * growth from one collection's "after" to the next one's "before", plus the growth since the last.
 * Unlike a sampling profile or CPU time, the figure does not depend on how busy the machine is.
 */
class AllocationCounter {
  private profiler = new GCProfiler();
  private bytes = 0;
  private lastUsed = getHeapStatistics().used_heap_size;

  constructor() {
    this.profiler.start();
  }

  /** Reads the collections so far (the profiler is restarted: it only reports when stopped). */
  read(): number {
    const stats = this.profiler.stop()?.statistics ?? [];
    this.profiler.start();
    for (const s of stats) {
      this.bytes += Math.max(0, s.beforeGC.heapStatistics.usedHeapSize - this.lastUsed);
      this.lastUsed = s.afterGC.heapStatistics.usedHeapSize;
    }
    const now = getHeapStatistics().used_heap_size;
    this.bytes += Math.max(0, now - this.lastUsed);
    this.lastUsed = now;
    return this.bytes;
  }

  reset(): void {
    this.read();
    this.bytes = 0;
  }

  stop(): void {
    this.profiler.stop();
  }
}

/** GC pauses, allocation and loop utilisation of the calling thread, from its own perf_hooks and V8 (thread-local). */
export class LoopStats {
  private gcPauses = 0;
  private gcMs = 0;
  private gcMaxMs = 0;
  private gcOver2Ms = 0;
  /** a GC profiler adds work to every collection (~20 % of the media thread's CPU at 300 channels): only on request */
  private readonly allocation: AllocationCounter | undefined;
  private elu: EventLoopUtilization = performance.eventLoopUtilization();
  private readonly observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      this.gcPauses++;
      this.gcMs += e.duration;
      if (e.duration > this.gcMaxMs) this.gcMaxMs = e.duration;
      if (e.duration > 2) this.gcOver2Ms++;
    }
  });

  constructor(opts: { countAllocation?: boolean } = {}) {
    this.allocation = opts.countAllocation ? new AllocationCounter() : undefined;
    this.observer.observe({ entryTypes: ['gc'] });
  }

  snapshot(): LoopSnapshot {
    const round = (x: number): number => Math.round(x * 100) / 100;
    return {
      gcPauses: this.gcPauses,
      gcMs: round(this.gcMs),
      gcMaxMs: round(this.gcMaxMs),
      gcOver2Ms: this.gcOver2Ms,
      allocatedBytes: this.allocation?.read() ?? Number.NaN,
      utilisation: round(performance.eventLoopUtilization(this.elu).utilization),
    };
  }

  reset(): void {
    this.gcPauses = 0;
    this.gcMs = 0;
    this.gcMaxMs = 0;
    this.gcOver2Ms = 0;
    this.allocation?.reset();
    this.elu = performance.eventLoopUtilization();
  }

  stop(): void {
    this.observer.disconnect();
    this.allocation?.stop();
  }
}
