// performance is the global one (so tests can fake it).

export const FRAME_MS = 20;
/** members are spread over this many phases, FRAME_MS / PHASES apart */
const PHASES = 4;
const STEP_MS = FRAME_MS / PHASES;

/** The timer is aimed this much before the deadline and the pacer sleeps out the rest precisely
 * (Atomics.wait: no CPU burnt, nothing allocated, unlike a performance.now() spin). The sleep blocks
 * the loop (received packets, ESL), so it is kept short: see `timerDelay` for the aim. */
const EARLY_MS = 0.5;
const MAX_WAIT_MS = 1.5;
/** performance.now() + this = libuv's clock (hrtime) modulo 1 ms; libuv truncates its loop time to
 * whole milliseconds, so a timer set at the fraction f of a millisecond fires up to f ms early. */
const LIBUV_MS_PHASE = (((Number(process.hrtime.bigint() % 1_000_000_000n) / 1e6 - performance.now()) % 1) + 1) % 1;

/** setTimeout delay that fires close to `at` (performance.now() ms), compensating the truncation. */
function timerDelay(at: number): number {
  const now = performance.now();
  return Math.max(0, at - now + ((now + LIBUV_MS_PHASE) % 1));
}
const sleeper = new Int32Array(new SharedArrayBuffer(4));

export interface Tickable {
  /** the time-critical part of a frame: what the member sends */
  send(): void;
  /** the rest of the frame, run once every member of the phase has sent */
  finish?(): void;
  /** when the pacer last ticked this member (performance.now() ms), for the interval statistics */
  pacedAt: number;
}

/** A fixed-bucket histogram of milliseconds (0.1 ms buckets up to 50 ms). */
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

  /** Adds another histogram's counts (a snapshot from another thread's pacer). */
  merge(buckets: Uint32Array): void {
    for (let i = 0; i < this.buckets.length; i++) {
      const n = buckets[i] ?? 0;
      this.buckets[i]! += n;
      this.count += n;
    }
  }
}

/** A pacer's statistics as plain data (it crosses threads and processes): bucket copies. */
export interface PacerSnapshot {
  members: number;
  intervalError: Uint32Array;
  wakeLateness: Uint32Array;
  tickDuration: Uint32Array;
  sleptMs: number;
}

/**
 * The one clock for every channel of the process: a self-correcting timeout chain aimed at absolute
 * deadlines (start + n × 5 ms), so lateness does not accumulate. Each member belongs to one of four
 * phases and is ticked every 20 ms in its phase: a quarter of the channels per wake-up keeps each
 * burst of sends short, so a channel's send time varies less from one frame to the next. Runs only
 * while it has members. `intervalError` records, for every member and tick, |time since that
 * member's previous tick − 20 ms|: the error of each channel's packet interval.
 */
export class Pacer {
  private readonly phases: Array<Set<Tickable>> = Array.from({ length: PHASES }, () => new Set());
  private readonly phaseOf = new Map<Tickable, number>();
  /** the timer callback, made once rather than a closure per wake-up */
  private readonly wake = (): void => this.run();
  private timer: NodeJS.Timeout | undefined;
  private epoch = 0;
  private n = 0;
  readonly intervalError = new LatenessHistogram();
  /** how late the timer woke the pacer after its deadline (diagnostics: loop blocking, scheduling) */
  readonly wakeLateness = new LatenessHistogram();
  /** how long one phase's ticks took */
  readonly tickDuration = new LatenessHistogram();
  /** total time spent blocked in Atomics.wait (the loop does nothing else meanwhile) */
  sleptMs = 0;

  get size(): number {
    return this.phaseOf.size;
  }

  snapshot(): PacerSnapshot {
    return {
      members: this.size,
      intervalError: this.intervalError.buckets.slice(),
      wakeLateness: this.wakeLateness.buckets.slice(),
      tickDuration: this.tickDuration.buckets.slice(),
      sleptMs: this.sleptMs,
    };
  }

  resetStats(): void {
    this.intervalError.reset();
    this.wakeLateness.reset();
    this.tickDuration.reset();
    this.sleptMs = 0;
  }

  add(m: Tickable): void {
    if (this.phaseOf.has(m)) return;
    let best = 0;
    for (let i = 1; i < PHASES; i++) if (this.phases[i]!.size < this.phases[best]!.size) best = i;
    this.phases[best]!.add(m);
    this.phaseOf.set(m, best);
    if (!this.timer) {
      this.epoch = performance.now();
      this.n = 0;
      this.schedule();
    }
  }

  remove(m: Tickable): void {
    const p = this.phaseOf.get(m);
    if (p === undefined) return;
    this.phases[p]!.delete(m);
    this.phaseOf.delete(m);
    if (this.phaseOf.size === 0 && this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  private schedule(): void {
    this.n++;
    this.timer = setTimeout(this.wake, timerDelay(this.epoch + this.n * STEP_MS - EARLY_MS));
  }

  private run(): void {
    const deadline = this.epoch + this.n * STEP_MS;
    let now = performance.now();
    if (deadline - now > MAX_WAIT_MS) {
      // woke too early (timer granularity): sleep again rather than tick early
      this.timer = setTimeout(this.wake, timerDelay(deadline - EARLY_MS));
      return;
    }
    this.wakeLateness.add(Math.max(0, now - deadline));
    if (now < deadline) {
      Atomics.wait(sleeper, 0, 0, deadline - now);
      const woke = performance.now();
      this.sleptMs += woke - now;
      now = woke;
    }
    if (now - deadline > 5 * FRAME_MS) {
      // overloaded (or the process was stopped): restart the schedule rather than burst
      this.epoch = now - this.n * STEP_MS;
    }
    const h = this.intervalError;
    const phase = this.phases[this.n % PHASES]!;
    // sends first for the whole phase, so the last member's packet is not delayed by the others' taps
    for (const m of phase) {
      const t = performance.now();
      if (m.pacedAt > 0) h.add(Math.abs(t - m.pacedAt - FRAME_MS));
      m.pacedAt = t;
      try {
        m.send();
      } catch {
        // a member's failure must not stop the clock for the others
      }
    }
    for (const m of phase) {
      try {
        m.finish?.();
      } catch {
        // as above
      }
    }
    this.tickDuration.add(performance.now() - now);
    if (this.phaseOf.size > 0) this.schedule();
    else this.timer = undefined;
  }
}

let shared: Pacer | undefined;

/** The process-wide pacer shared by every media server in the process. */
export function sharedPacer(): Pacer {
  shared ??= new Pacer();
  return shared;
}
