import { connect, type Socket } from 'node:net';

/** A raw event-socket client for protocol tests: sends bytes, reads whole frames (headers + body). */
export class RawEsl {
  private buf = '';
  private waiters: Array<() => void> = [];
  closed = false;

  private constructor(readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      this.buf += d;
      this.waiters.splice(0).forEach((w) => w());
    });
    socket.on('close', () => {
      this.closed = true;
      this.waiters.splice(0).forEach((w) => w());
    });
  }

  static open(host: string, port: number): Promise<RawEsl> {
    return new Promise((resolve, reject) => {
      const s = connect({ host, port }, () => resolve(new RawEsl(s)));
      s.once('error', reject);
    });
  }

  send(text: string): void {
    this.socket.write(text);
  }

  /** Next frame as {headers, body}; rejects after `ms`. */
  async frame(ms = 2000): Promise<{ headers: Record<string, string>; body: string }> {
    const deadline = Date.now() + ms;
    for (;;) {
      const end = this.buf.indexOf('\n\n');
      if (end >= 0) {
        const headers: Record<string, string> = {};
        for (const l of this.buf.slice(0, end).split('\n')) {
          const i = l.indexOf(': ');
          if (i > 0) headers[l.slice(0, i)] = l.slice(i + 2);
        }
        const len = Number(headers['Content-Length'] ?? 0);
        if (this.buf.length >= end + 2 + len) {
          const body = this.buf.slice(end + 2, end + 2 + len);
          this.buf = this.buf.slice(end + 2 + len);
          return { headers, body };
        }
      }
      if (this.closed) throw new Error('closed');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timeout waiting for a frame');
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  async closedWithin(ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (!this.closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return this.closed;
  }

  close(): void {
    this.socket.destroy();
  }
}
