import type { Hop, Sender } from './types.js';

interface Entry {
  /** the final response as latin1 text: one compact heap string instead of a pinned buffer slab */
  raw: string;
  hop: Hop;
  until: number;
}

/**
 * The Completed state of non-INVITE server transactions over UDP (RFC 3261 §17.2.2): for Timer J
 * (64·T1) a retransmitted request gets the final response again, and nothing else happens.
 *
 * At thousands of REGISTERs a second, a full transaction object per request kept for 32 s is
 * hundreds of megabytes the garbage collector keeps walking. Here a completed transaction is its
 * key, its response bytes and where they go. Every entry waits the same time, so insertion order
 * is expiry order and one timer sweeps them all.
 */
export class CompletedResponses {
  private readonly entries = new Map<string, Entry>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly holdMs: number,
    private readonly sender: Sender,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  add(key: string, response: Buffer, hop: Hop): void {
    this.entries.delete(key); // re-adding moves it to the end, keeping insertion order = expiry order
    this.entries.set(key, { raw: response.toString('latin1'), hop, until: this.now() + this.holdMs });
    this.timer ??= setTimeout(() => this.sweep(), this.holdMs);
  }

  /** A request retransmission: true when it was absorbed here. */
  absorb(key: string): boolean {
    const e = this.entries.get(key);
    if (!e) return false;
    this.sender.send(e.hop, Buffer.from(e.raw, 'latin1'));
    return true;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.entries.clear();
  }

  private sweep(): void {
    this.timer = undefined;
    const now = this.now();
    for (const [key, e] of this.entries) {
      if (e.until > now) {
        this.timer = setTimeout(() => this.sweep(), Math.max(1, e.until - now));
        return;
      }
      this.entries.delete(key);
    }
  }
}
