import { FifoQueue } from '../../lib/fifo-queue.js';
import type { Hop, Sender } from './types.js';

interface Entry {
  key: string;
  /** the final response: bytes [offset, offset + length) of a shared arena chunk */
  chunk: Buffer;
  offset: number;
  length: number;
  hop: Hop;
  until: number;
}

/** Response bytes live off the V8 heap in chunks of this size, so the GC does not walk them. */
const CHUNK_BYTES = 1024 * 1024;

/**
 * The Completed state of non-INVITE server transactions over UDP (RFC 3261 §17.2.2): for Timer J
 * (64·T1) a retransmitted request gets the final response again, and nothing else happens.
 *
 * At thousands of REGISTERs a second, a full transaction object per request kept for 32 s is
 * hundreds of megabytes the garbage collector keeps walking. Here a completed transaction is its
 * key, its response bytes and where they go. Every entry waits the same time, so a FIFO queue in
 * insertion order is in expiry order and one timer sweeps them all. The bytes are appended to
 * 1 MB arena chunks: a chunk is freed by the GC once the last entry pointing into it has expired,
 * which in FIFO order happens chunk by chunk.
 */
export class CompletedResponses {
  private readonly entries = new Map<string, Entry>();
  private readonly expiry = new FifoQueue<Entry>();
  private timer: NodeJS.Timeout | undefined;
  private chunk = Buffer.allocUnsafeSlow(0);
  private used = 0;

  constructor(
    private readonly holdMs: number,
    private readonly sender: Sender,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  add(key: string, response: Buffer, hop: Hop): void {
    const length = response.length;
    if (this.used + length > this.chunk.length) {
      this.chunk = Buffer.allocUnsafeSlow(Math.max(CHUNK_BYTES, length));
      this.used = 0;
    }
    response.copy(this.chunk, this.used);
    // Re-adding a key replaces its entry; the old one stays queued and is skipped when it expires.
    const entry: Entry = { key, chunk: this.chunk, offset: this.used, length, hop, until: this.now() + this.holdMs };
    this.entries.set(key, entry);
    this.expiry.push(entry);
    this.used += length;
    this.timer ??= setTimeout(() => this.sweep(), this.holdMs);
  }

  /** A request retransmission: true when it was absorbed here. */
  absorb(key: string): boolean {
    const e = this.entries.get(key);
    if (!e) return false;
    this.sender.send(e.hop, e.chunk.subarray(e.offset, e.offset + e.length));
    return true;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.entries.clear();
    this.expiry.clear();
  }

  private sweep(): void {
    this.timer = undefined;
    const now = this.now();
    for (let e = this.expiry.peek(); e !== undefined; e = this.expiry.peek()) {
      if (e.until > now) {
        this.timer = setTimeout(() => this.sweep(), Math.max(1, e.until - now));
        return;
      }
      this.expiry.shift();
      if (this.entries.get(e.key) === e) this.entries.delete(e.key);
    }
  }
}
