import { MediaError } from '../errors.js';

/** One client command (spec §2.1): the command line, its headers in order, an optional body. */
export interface EslCommand {
  line: string;
  headers: Array<[string, string]>;
  body?: string;
}

export function headerOf(cmd: EslCommand, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of cmd.headers) if (k.toLowerCase() === lower) return v;
  return undefined;
}

const MAX_HEADER_BYTES = 64 * 1024;
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Incremental reader of event-socket commands: bytes until two LFs (CR ignored), first line = command,
 * `Name: value` lines, a Content-Length body. Throws MEDIA_ESL_FRAME for oversized input.
 */
export class CommandReader {
  private buf: Buffer = Buffer.alloc(0);
  private pending: EslCommand | undefined;
  private bodyLen = 0;

  push(chunk: Buffer): EslCommand[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const out: EslCommand[] = [];
    for (;;) {
      if (this.pending) {
        if (this.buf.length < this.bodyLen) break;
        this.pending.body = this.buf.subarray(0, this.bodyLen).toString('utf8');
        this.buf = this.buf.subarray(this.bodyLen);
        out.push(this.pending);
        this.pending = undefined;
        continue;
      }
      const cmd = this.nextHeaderBlock();
      if (!cmd) break;
      if (cmd.line === '') continue;
      const len = Number(headerOf(cmd, 'Content-Length') ?? '0');
      if (Number.isFinite(len) && len > 0) {
        if (len > MAX_BODY_BYTES) throw new MediaError('MEDIA_ESL_FRAME', `body of ${len} bytes is too large`);
        this.pending = cmd;
        this.bodyLen = len;
        continue;
      }
      out.push(cmd);
    }
    return out;
  }

  private nextHeaderBlock(): EslCommand | undefined {
    // skip leading empty lines (FS does)
    let start = 0;
    while (start < this.buf.length && (this.buf[start] === 0x0a || this.buf[start] === 0x0d)) start++;
    let lfs = 0;
    let end = -1;
    for (let i = start; i < this.buf.length; i++) {
      const b = this.buf[i];
      if (b === 0x0a) {
        if (++lfs === 2) {
          end = i;
          break;
        }
      } else if (b !== 0x0d) lfs = 0;
    }
    if (end < 0) {
      this.buf = this.buf.subarray(start);
      if (this.buf.length > MAX_HEADER_BYTES) throw new MediaError('MEDIA_ESL_FRAME', 'command without end of headers');
      return undefined;
    }
    const text = this.buf.subarray(start, end).toString('utf8').replace(/\r/g, '');
    this.buf = this.buf.subarray(end + 1);
    const lines = text.split('\n').filter((l) => l !== '');
    const headers: Array<[string, string]> = [];
    for (const l of lines.slice(1)) {
      const i = l.indexOf(':');
      if (i > 0) headers.push([l.slice(0, i), l.slice(i + 1).replace(/^ +/, '')]);
    }
    return { line: (lines[0] ?? '').trim(), headers };
  }
}
