import { ERRORS, errorMessage } from '../../lib/errors.js';

/**
 * drachtio wire framing: `<decimal byte length>#<payload>` (protocol doc §1.2).
 * Lengths count UTF-8 bytes; a frame never splits a UTF-8 sequence, so each payload
 * is decoded on its own.
 */
export class FrameError extends Error {
  readonly code = ERRORS.ENGINE_WIRE_FRAME.code;
  constructor(problem: string) {
    super(errorMessage('ENGINE_WIRE_FRAME', { problem }));
    this.name = 'FrameError';
  }
}

const HASH = 0x23;
const MAX_LENGTH_DIGITS = 8;

export class FrameDecoder {
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(private readonly maxFrameBytes: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
  }

  /** Returns the next complete payload, undefined when more bytes are needed; throws FrameError on garbage. */
  next(): string | undefined {
    if (this.size === 0) return undefined;
    const buf = this.flatten();
    let length = 0;
    let i = 0;
    for (; i < buf.length; i++) {
      const c = buf[i]!;
      if (c === HASH) break;
      if (c < 0x30 || c > 0x39 || i >= MAX_LENGTH_DIGITS) {
        throw new FrameError(`invalid frame length prefix`);
      }
      length = length * 10 + (c - 0x30);
    }
    if (i === buf.length) return undefined;
    if (i === 0 || length === 0) throw new FrameError('empty frame length');
    if (length > this.maxFrameBytes) throw new FrameError(`frame of ${length} bytes exceeds limit ${this.maxFrameBytes}`);
    const end = i + 1 + length;
    if (buf.length < end) return undefined;
    const payload = buf.toString('utf8', i + 1, end);
    this.consume(buf, end);
    return payload;
  }

  private flatten(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.size)];
    return this.chunks[0]!;
  }

  private consume(buf: Buffer, n: number): void {
    if (n >= buf.length) {
      this.chunks = [];
      this.size = 0;
    } else {
      this.chunks = [buf.subarray(n)];
      this.size = buf.length - n;
    }
  }
}

/** `<UTF-8 byte length>#<payload>`, as text: the socket encodes it without a JS Buffer per frame. */
export function encodeFrame(payload: string): string {
  return `${Buffer.byteLength(payload, 'utf8')}#${payload}`;
}
