import dgram from 'node:dgram';
import net from 'node:net';
import tls from 'node:tls';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A UDP peer on a loopback address that collects every datagram it receives. */
export class RawUdpPeer {
  readonly received: Buffer[] = [];
  private readonly socket = dgram.createSocket('udp4');

  constructor(
    readonly ip: string,
    readonly port: number,
  ) {}

  async open(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.socket.once('error', reject);
      this.socket.bind(this.port, this.ip, () => resolve());
    });
    this.socket.on('message', (m) => this.received.push(m));
    return this;
  }

  send(buf: Buffer | string, host: string, port: number): Promise<void> {
    return new Promise((resolve) => this.socket.send(typeof buf === 'string' ? Buffer.from(buf, 'latin1') : buf, port, host, () => resolve()));
  }

  /** Sends and waits until `wantReplies` datagrams arrived or `ms` passed; returns the new ones. */
  async exchange(buf: Buffer | string, host: string, port: number, ms = 600, wantReplies = 1): Promise<string[]> {
    const before = this.received.length;
    await this.send(buf, host, port);
    const deadline = Date.now() + ms;
    while (Date.now() < deadline && this.received.length - before < wantReplies) await sleep(10);
    return this.received.slice(before).map((b) => b.toString('latin1'));
  }

  close(): void {
    this.socket.close();
  }
}

export interface TcpExchange {
  replies: string;
  closedByPeer: boolean;
}

/** Opens a TCP connection from `ip`, writes `chunks`, collects what comes back for `ms` (or until closed, or `enough`). */
export async function tcpExchange(ip: string, host: string, port: number, chunks: Array<Buffer | string>, ms = 600, enough?: (replies: string) => boolean): Promise<TcpExchange> {
  return streamExchange(net.connect({ host, port, localAddress: ip }), 'connect', chunks, ms, enough);
}

/** As tcpExchange, inside TLS (the server's certificate is not checked unless `ca` is given). */
export async function tlsExchange(ip: string, host: string, port: number, chunks: Array<Buffer | string>, ms = 600, enough?: (replies: string) => boolean, ca?: Buffer): Promise<TcpExchange> {
  const options: tls.ConnectionOptions & { localAddress: string } = { host, port, localAddress: ip, rejectUnauthorized: ca !== undefined, ...(ca && { ca }) };
  return streamExchange(tls.connect(options), 'secureConnect', chunks, ms, enough);
}

async function streamExchange(socket: net.Socket, ready: 'connect' | 'secureConnect', chunks: Array<Buffer | string>, ms: number, enough?: (replies: string) => boolean): Promise<TcpExchange> {
  let replies = '';
  let closedByPeer = false;
  let ended = false;
  socket.on('data', (d: Buffer) => (replies += d.toString('latin1')));
  socket.on('error', () => undefined);
  socket.on('close', () => {
    ended = true;
    closedByPeer = !destroyedByUs;
  });
  let destroyedByUs = false;
  await new Promise<void>((resolve, reject) => {
    socket.once(ready, () => resolve());
    socket.once('error', reject);
  });
  for (const c of chunks) socket.write(typeof c === 'string' ? Buffer.from(c, 'latin1') : c);
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && !ended && !enough?.(replies)) await sleep(10);
  if (!ended) {
    destroyedByUs = true;
    socket.destroy();
    await sleep(20);
  }
  return { replies, closedByPeer };
}

export const statusLine = (msg: string): number => Number(/^SIP\/2\.0 (\d{3})/.exec(msg)?.[1] ?? 0);

/** A minimal OPTIONS request from `ip:port` with a fresh Call-ID. */
export function optionsRequest(ip: string, port: number, target: string, callId: string, extra = '', transport = 'UDP'): string {
  return [
    `OPTIONS sip:ping@${target} SIP/2.0`,
    `Via: SIP/2.0/${transport} ${ip}:${port};branch=z9hG4bK-${callId};rport`,
    'Max-Forwards: 70',
    `From: <sip:hostile@${ip}>;tag=${callId.slice(0, 8)}`,
    `To: <sip:ping@${target}>`,
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
