import { performance } from 'node:perf_hooks';

export const FRAME_MS = 20;

export interface Tickable {
  tick(): void;
}

/** Lateness of ticks in µs: a fixed-bucket histogram (0.1 ms buckets up to 50 ms). */
export class LatenessHistogram {
  readonly buckets = new Uint32Array(501);
  count = 0;

  add(ms: number): void {
    const i = Math.min(500, Math.max(0, Math.round(ms * 10)));
    this.buckets[i]!++;
    this.count++;
  }

  percentile(p: number): number {
    let need = Math.ceil(this.count * p);
    for (let i = 0; i < this.buckets.length; i++) {
      need -= this.buckets[i]!;
      if (need <= 0) return i / 10;
    }
    return 50;
  }

  reset(): void {
    this.buckets.fill(0);
    this.count = 0;
  }
}

/**
 * The one 20 ms clock for every channel of the process: a self-correcting timeout chain aimed at
 * absolute deadlines (start + n × 20 ms), so lateness does not accumulate. Runs only while it has
 * members. `intervalError` records |actual interval − 20 ms| between consecutive ticks plus the time
 * the tick took (the spread of send times inside one tick).
 */
export class Pacer {
  private readonly members = new Set<Tickable>();
  private timer: NodeJS.Timeout | undefined;
  private epoch = 0;
  private n = 0;
  private lastStart = 0;
  readonly intervalError = new LatenessHistogram();

  get size(): number {
    return this.members.size;
  }

  add(m: Tickable): void {
    this.members.add(m);
    if (!this.timer) {
      this.epoch = performance.now();
      this.n = 0;
      this.lastStart = 0;
      this.schedule();
    }
  }

  remove(m: Tickable): void {
    this.members.delete(m);
    if (this.members.size === 0 && this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  private schedule(): void {
    this.n++;
    const delay = this.epoch + this.n * FRAME_MS - performance.now();
    this.timer = setTimeout(() => this.run(), Math.max(0, delay));
  }

  private run(): void {
    const start = performance.now();
    const behind = start - (this.epoch + this.n * FRAME_MS);
    if (behind > 5 * FRAME_MS) {
      // overloaded (or the process was stopped): restart the schedule rather than burst
      this.epoch = start;
      this.n = 0;
    }
    for (const m of this.members) {
      try {
        m.tick();
      } catch {
        // a member's failure must not stop the clock for the others
      }
    }
    const end = performance.now();
    if (this.lastStart > 0) this.intervalError.add(Math.abs(start - this.lastStart - FRAME_MS) + (end - start));
    this.lastStart = start;
    if (this.members.size > 0) this.schedule();
    else this.timer = undefined;
  }
}

let shared: Pacer | undefined;

/** The process-wide pacer shared by every media server in the process. */
export function sharedPacer(): Pacer {
  shared ??= new Pacer();
  return shared;
}
