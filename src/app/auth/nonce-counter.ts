import type { Clock } from './types.js';

/**
 * Replay protection through `nc` (RFC 7616 §3.4.5): per nonce, each accepted request must carry a
 * higher nonce-count than the last one. Memory is bounded; entries die with their nonce.
 *
 * Limitation: the table is per instance. A request replayed to a different application instance
 * within the nonce lifetime is not detected there (nonces themselves are stateless).
 *
 * Eviction is made safe by a watermark: once an entry was evicted, any nonce issued at or before
 * the newest evicted issue time that we no longer know is answered `unknown` (the caller re-challenges)
 * instead of being accepted as fresh.
 */
export type NonceCountCheck = 'ok' | 'replay' | 'unknown';

interface Entry {
  highestNc: number;
  issuedAt: number;
  expiresAt: number;
}

export interface NonceCounterOptions {
  clock: Clock;
  maxEntries?: number;
}

export class NonceCounter {
  private readonly entries = new Map<string, Entry>();
  private readonly clock: Clock;
  private readonly maxEntries: number;
  private evictedWatermark = -1;

  constructor(opts: NonceCounterOptions) {
    this.clock = opts.clock;
    this.maxEntries = opts.maxEntries ?? 100_000;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Records `nc` for the nonce when it is higher than any seen before. */
  check(nonce: string, nc: number, issuedAt: number, expiresAt: number): NonceCountCheck {
    const entry = this.entries.get(nonce);
    if (entry) {
      if (nc <= entry.highestNc) return 'replay';
      entry.highestNc = nc;
      return 'ok';
    }
    if (issuedAt <= this.evictedWatermark) return 'unknown';
    this.makeRoom();
    this.entries.set(nonce, { highestNc: nc, issuedAt, expiresAt });
    return 'ok';
  }

  private makeRoom(): void {
    if (this.entries.size < this.maxEntries) return;
    const now = this.clock.now();
    // Map iteration is insertion order: the oldest first-uses come first.
    for (const [key, e] of this.entries) {
      if (this.entries.size < this.maxEntries && e.expiresAt > now) break;
      this.entries.delete(key);
      if (e.expiresAt > now && e.issuedAt > this.evictedWatermark) this.evictedWatermark = e.issuedAt;
    }
  }

  /** Drops expired entries; call periodically if you want memory back before the table fills. */
  purgeExpired(maxVisits = 10_000): void {
    const now = this.clock.now();
    let visits = 0;
    for (const [key, e] of this.entries) {
      if (++visits > maxVisits) break;
      if (e.expiresAt <= now) this.entries.delete(key);
    }
  }
}
