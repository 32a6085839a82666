import { appendFile, open, rename, stat } from 'node:fs/promises';

/**
 * Appends JSON lines to a file, one write at a time (in order), rotating when the next line
 * would pass `maxBytes`: file → file.1 → … → file.keep (the oldest is overwritten).
 */
export class JsonLinesFile {
  private size: number | undefined;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    readonly path: string,
    private readonly maxBytes: number,
    private readonly keep: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  append(value: unknown): void {
    const line = `${JSON.stringify(value)}\n`;
    this.chain = this.chain.then(() => this.write(line)).catch(this.onError);
  }

  /** Settles when every line appended so far is written. */
  flush(): Promise<void> {
    return this.chain;
  }

  /** The last `n` lines (newest last), from the current file and the rotated ones. */
  async last(n: number): Promise<unknown[]> {
    await this.flush();
    const out: string[] = [];
    for (let i = 0; i <= this.keep && out.length < n; i++) {
      const lines = await tailLines(i === 0 ? this.path : `${this.path}.${i}`, n - out.length);
      out.unshift(...lines);
    }
    return out.flatMap((l) => {
      try {
        return [JSON.parse(l) as unknown];
      } catch {
        return [];
      }
    });
  }

  private async write(line: string): Promise<void> {
    this.size ??= await stat(this.path).then(
      (s) => s.size,
      () => 0,
    );
    const bytes = Buffer.byteLength(line);
    if (this.size > 0 && this.size + bytes > this.maxBytes) await this.rotate();
    await appendFile(this.path, line);
    this.size += bytes;
  }

  private async rotate(): Promise<void> {
    for (let i = this.keep - 1; i >= 1; i--) await rename(`${this.path}.${i}`, `${this.path}.${i + 1}`).catch(() => undefined);
    await rename(this.path, `${this.path}.1`);
    this.size = 0;
  }
}

/** The last `n` complete lines of a file (reads backwards in chunks); [] when it does not exist. */
async function tailLines(path: string, n: number): Promise<string[]> {
  const fh = await open(path, 'r').catch(() => undefined);
  if (fh === undefined) return [];
  try {
    const { size } = await fh.stat();
    let pos = size;
    let text = '';
    const chunk = 64 * 1024;
    while (pos > 0 && text.split('\n').length - 1 <= n) {
      const len = Math.min(chunk, pos);
      pos -= len;
      const buf = Buffer.alloc(len);
      await fh.read(buf, 0, len, pos);
      text = buf.toString('utf8') + text;
    }
    const lines = text.split('\n').filter((l) => l !== '');
    if (pos > 0) lines.shift(); // partial first line
    return lines.slice(-n);
  } finally {
    await fh.close();
  }
}
