import { PerformanceObserver, performance, type EventLoopUtilization } from 'node:perf_hooks';

/** What kept a thread's event loop from its timers: garbage-collection pauses and how busy it was. */
export interface LoopSnapshot {
  gcPauses: number;
  gcMs: number;
  gcMaxMs: number;
  /** pauses longer than 2 ms (each makes the pacer's wake-up during it late by as much) */
  gcOver2Ms: number;
  /** event-loop utilisation since the last reset, 0–1 */
  utilisation: number;
}

/** GC pauses and loop utilisation of the calling thread, from its own perf_hooks (thread-local). */
export class LoopStats {
  private gcPauses = 0;
  private gcMs = 0;
  private gcMaxMs = 0;
  private gcOver2Ms = 0;
  private elu: EventLoopUtilization = performance.eventLoopUtilization();
  private readonly observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      this.gcPauses++;
      this.gcMs += e.duration;
      if (e.duration > this.gcMaxMs) this.gcMaxMs = e.duration;
      if (e.duration > 2) this.gcOver2Ms++;
    }
  });

  constructor() {
    this.observer.observe({ entryTypes: ['gc'] });
  }

  snapshot(): LoopSnapshot {
    const round = (x: number): number => Math.round(x * 100) / 100;
    return { gcPauses: this.gcPauses, gcMs: round(this.gcMs), gcMaxMs: round(this.gcMaxMs), gcOver2Ms: this.gcOver2Ms, utilisation: round(performance.eventLoopUtilization(this.elu).utilization) };
  }

  reset(): void {
    this.gcPauses = 0;
    this.gcMs = 0;
    this.gcMaxMs = 0;
    this.gcOver2Ms = 0;
    this.elu = performance.eventLoopUtilization();
  }

  stop(): void {
    this.observer.disconnect();
  }
}
