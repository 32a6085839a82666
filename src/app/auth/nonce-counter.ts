import { FifoQueue } from '../../lib/fifo-queue.js';
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
  nonce: string;
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
  /** Entries in first-use order, the order they are evicted in. */
  private readonly order = new FifoQueue<Entry>();
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
    const added: Entry = { nonce, highestNc: nc, issuedAt, expiresAt };
    this.entries.set(nonce, added);
    this.order.push(added);
    return 'ok';
  }

  /** Forgets the oldest first-uses that have expired, and more while the table is full. */
  private makeRoom(): void {
    const now = this.clock.now();
    for (let e = this.order.peek(); e !== undefined; e = this.order.peek()) {
      if (this.entries.size < this.maxEntries && e.expiresAt > now) break;
      this.order.shift();
      this.entries.delete(e.nonce);
      if (e.expiresAt > now && e.issuedAt > this.evictedWatermark) this.evictedWatermark = e.issuedAt;
    }
  }
}
