import dgram from 'node:dgram';
import { randomBytes } from 'node:crypto';

/** A tiny SIP UDP client for tests that need to look at single responses. */
export class UdpSipClient {
  private sock = dgram.createSocket('udp4');
  private waiters: Array<(msg: string) => void> = [];
  readonly received: string[] = [];

  constructor(
    readonly ip: string,
    readonly port = 0,
  ) {}

  async open(): Promise<this> {
    await new Promise<void>((r) => this.sock.bind(this.port, this.ip, () => r()));
    this.sock.on('message', (buf) => {
      const text = buf.toString('latin1');
      this.received.push(text);
      const w = this.waiters.shift();
      w?.(text);
    });
    return this;
  }

  get localPort(): number {
    return this.sock.address().port;
  }

  send(text: string, host: string, port: number): void {
    this.sock.send(Buffer.from(text, 'latin1'), port, host);
  }

  sendBuffer(buf: Buffer, host: string, port: number): void {
    this.sock.send(buf, port, host);
  }

  /** Next datagram, or undefined after timeoutMs. */
  next(timeoutMs = 2000): Promise<string | undefined> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== done);
        resolve(undefined);
      }, timeoutMs);
      const done = (m: string): void => {
        clearTimeout(t);
        resolve(m);
      };
      this.waiters.push(done);
    });
  }

  options(target: { host: string; port: number }, extra = ''): string {
    const branch = `z9hG4bK${randomBytes(6).toString('hex')}`;
    const callId = randomBytes(8).toString('hex');
    return [
      `OPTIONS sip:ping@${target.host}:${target.port} SIP/2.0`,
      `Via: SIP/2.0/UDP ${this.ip}:${this.localPort};branch=${branch};rport`,
      'Max-Forwards: 70',
      `From: <sip:tester@${this.ip}>;tag=${randomBytes(4).toString('hex')}`,
      `To: <sip:ping@${target.host}>`,
      `Call-ID: ${callId}`,
      'CSeq: 1 OPTIONS',
      extra,
      'Content-Length: 0',
      '',
      '',
    ]
      .filter((l, i, a) => l !== '' || i >= a.length - 2)
      .join('\r\n');
  }

  close(): void {
    this.sock.close();
  }
}

export const statusOf = (msg: string | undefined): number => Number(/^SIP\/2\.0 (\d{3})/.exec(msg ?? '')?.[1] ?? 0);
export const headerOf = (msg: string | undefined, name: string): string | undefined => new RegExp(`^${name}\\s*:\\s*(.*)$`, 'im').exec(msg ?? '')?.[1]?.trim();
