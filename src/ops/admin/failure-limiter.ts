import { OldestKeyEvictor } from '../../lib/oldest-key-evictor.js';
import { systemClock, type Clock } from '../../lib/clock.js';

/**
 * Counts failed admin logins per source address: after `maxFailures` within `windowMs` the source
 * is refused (429) until its oldest counted failure leaves the window. Memory is bounded.
 */
export class FailureLimiter {
  private readonly failures = new Map<string, number[]>();
  private readonly evictor = new OldestKeyEvictor(this.failures);

  constructor(
    private readonly maxFailures = 10,
    private readonly windowMs = 60_000,
    private readonly clock: Clock = systemClock,
    private readonly maxTracked = 10_000,
  ) {}

  /** Seconds until `source` may try again, or 0 when it is not limited. */
  retryAfter(source: string): number {
    const times = this.recent(source);
    if (times.length < this.maxFailures) return 0;
    return Math.max(1, Math.ceil((times[0]! + this.windowMs - this.clock.now()) / 1000));
  }

  recordFailure(source: string): void {
    const times = this.recent(source);
    this.failures.delete(source); // re-inserted: least recently failing first
    times.push(this.clock.now());
    if (times.length > this.maxFailures) times.shift();
    this.failures.set(source, times);
    this.evictor.trimTo(this.maxTracked);
  }

  private recent(source: string): number[] {
    const times = this.failures.get(source) ?? [];
    const cutoff = this.clock.now() - this.windowMs;
    while (times.length > 0 && times[0]! <= cutoff) times.shift();
    return times;
  }
}
