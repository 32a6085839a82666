// TCP/TLS framing (RFC 3261 §18.3): splits a byte stream into whole SIP messages.
import { contentLengthValues, findHeaderEnd, interpretContentLength } from './framing.js';

export type FramerResult = { kind: 'message'; buf: Buffer } | { kind: 'need-more' } | { kind: 'error'; reason: string };

const EMPTY = Buffer.alloc(0);

export class StreamFramer {
  readonly #maxSize: number;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #buf: Buffer = EMPTY;
  #off = 0;
  /** Where the next search for the end of the header section may resume. */
  #scanFrom = 0;
  /** Total size of the message at #off once its header section has been read. */
  #known = -1;
  #error: string | undefined;
  readonly #onPing: (() => void) | undefined;
  #sawCr = false;
  #crlfRun = 0;

  /** `onPing` fires for each RFC 5626 double-CRLF keep-alive, so the transport can answer with a CRLF pong. */
  constructor(maxSize: number, opts?: { onPing?: () => void }) {
    this.#maxSize = maxSize;
    this.#onPing = opts?.onPing;
  }

  get buffered(): number {
    return this.#buf.length - this.#off + this.#pendingBytes;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0 || this.#error !== undefined) return;
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.length;
  }

  next(): FramerResult {
    if (this.#error !== undefined) return { kind: 'error', reason: this.#error };
    try {
      return this.#next();
    } catch {
      return this.#fail('Internal framing error');
    }
  }

  #fail(reason: string): FramerResult {
    this.#error = reason;
    this.#buf = EMPTY;
    this.#off = 0;
    this.#pending = [];
    this.#pendingBytes = 0;
    return { kind: 'error', reason };
  }

  /** Skips CR/LF bytes between messages, counting CRLF pairs across chunk boundaries. */
  #skipKeepAlives(buf: Buffer, from: number): number {
    let i = from;
    for (; i < buf.length; i++) {
      const b = buf[i];
      if (b === 13) {
        this.#sawCr = true;
      } else if (b === 10) {
        if (this.#sawCr && ++this.#crlfRun === 2) {
          this.#crlfRun = 0;
          this.#ping();
        }
        this.#sawCr = false;
      } else {
        break;
      }
    }
    if (i < buf.length) {
      this.#sawCr = false;
      this.#crlfRun = 0;
    }
    return i;
  }

  #ping(): void {
    try {
      this.#onPing?.();
    } catch {
      // A failing listener must not corrupt framing.
    }
  }

  #consolidate(): void {
    if (this.#pending.length === 0) return;
    const rest = this.#off < this.#buf.length ? [this.#buf.subarray(this.#off)] : [];
    this.#scanFrom -= this.#off;
    this.#buf = Buffer.concat([...rest, ...this.#pending]);
    this.#off = 0;
    this.#pending = [];
    this.#pendingBytes = 0;
  }

  #next(): FramerResult {
    this.#consolidate();
    const buf = this.#buf;
    if (this.#known < 0) {
      const start = this.#skipKeepAlives(buf, this.#off);
      if (start !== this.#off) {
        this.#off = start;
        this.#scanFrom = start;
      }
      if (start >= buf.length) {
        this.#buf = EMPTY;
        this.#off = 0;
        this.#scanFrom = 0;
        return { kind: 'need-more' };
      }
      const end = findHeaderEnd(buf, Math.max(start, this.#scanFrom));
      if (end === undefined) {
        if (buf.length - start > this.#maxSize) return this.#fail('Header section too large');
        this.#scanFrom = Math.max(start, buf.length - 3);
        return { kind: 'need-more' };
      }
      if (end.headEnd - start > this.#maxSize) return this.#fail('Header section too large');
      const cl = interpretContentLength(contentLengthValues(buf.toString('latin1', start, end.headEnd)));
      if (cl.kind === 'missing') return this.#fail('Missing Content-Length');
      if (cl.kind === 'invalid') return this.#fail(cl.reason);
      const total = end.bodyStart - start + cl.value;
      if (total > this.#maxSize) return this.#fail('Message too large');
      this.#known = total;
    }
    const start = this.#off;
    if (buf.length - start < this.#known) return { kind: 'need-more' };
    const endOff = start + this.#known;
    const whole = start === 0 && endOff === buf.length;
    // Copy unless the message is the whole buffer, so a retained message does not pin a big chunk.
    const out = whole ? buf : Buffer.from(buf.subarray(start, endOff));
    this.#known = -1;
    if (endOff >= buf.length) {
      this.#buf = EMPTY;
      this.#off = 0;
    } else {
      this.#off = endOff;
    }
    this.#scanFrom = this.#off;
    return { kind: 'message', buf: out };
  }
}
