import { createHash, randomBytes } from 'node:crypto';
import tls from 'node:tls';
import { StreamFramer } from '../../src/sip/stream-framer.js';

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
const rand = (n = 6): string => randomBytes(n).toString('hex');

/** One SIP message as a phone sees it: first line, headers by lower-case name, body. */
export interface PhoneMessage {
  text: string;
  firstLine: string;
  status: number;
  method: string;
  header(name: string): string | undefined;
  headers(name: string): string[];
}

function parse(text: string): PhoneMessage {
  const [head = '', ...rest] = text.split('\r\n\r\n');
  const lines = head.split('\r\n');
  const firstLine = lines[0] ?? '';
  const all = lines.slice(1).map((l) => {
    const i = l.indexOf(':');
    return { name: l.slice(0, i).trim().toLowerCase(), value: l.slice(i + 1).trim() };
  });
  const status = /^SIP\/2\.0 (\d{3})/.exec(firstLine)?.[1];
  void rest;
  return {
    text,
    firstLine,
    status: status ? Number(status) : 0,
    method: status ? '' : (firstLine.split(' ')[0] ?? ''),
    header: (n) => all.find((h) => h.name === n.toLowerCase())?.value,
    headers: (n) => all.filter((h) => h.name === n.toLowerCase()).map((h) => h.value),
  };
}

/**
 * A SIP phone over one TLS connection, as a TLS handset keeps it: it registers and places or
 * answers calls on that connection (RFC 5626-style reuse, no listening socket of its own).
 */
export class TlsSipPhone {
  private socket: tls.TLSSocket | undefined;
  private readonly framer = new StreamFramer(1 << 20);
  private readonly inbox: PhoneMessage[] = [];
  private waiters: Array<() => void> = [];
  readonly tag = rand(4);

  constructor(
    readonly ip: string,
    readonly user: string,
    private readonly password: string,
    readonly domain: string,
  ) {}

  async connect(host: string, port: number, ca?: Buffer): Promise<this> {
    const options: tls.ConnectionOptions & { localAddress: string } = { host, port, localAddress: this.ip, rejectUnauthorized: ca !== undefined, ...(ca && { ca }) };
    const s = tls.connect(options);
    this.socket = s;
    s.on('data', (d: Buffer) => {
      this.framer.push(d);
      for (let r = this.framer.next(); r.kind === 'message'; r = this.framer.next()) this.inbox.push(parse(r.buf.toString('latin1')));
      for (const w of this.waiters.splice(0)) w();
    });
    s.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      s.once('secureConnect', () => resolve());
      s.once('error', reject);
    });
    return this;
  }

  get localPort(): number {
    return this.socket?.localPort ?? 0;
  }

  get contact(): string {
    return `<sip:${this.user}@${this.ip}:${this.localPort};transport=tls>`;
  }

  close(): void {
    this.socket?.destroy();
  }

  send(text: string): void {
    this.socket?.write(Buffer.from(text, 'utf8'));
  }

  /** The first received message (kept in order) that `match` accepts, removed from the inbox. */
  async next(match: (m: PhoneMessage) => boolean, what: string, ms = 10_000): Promise<PhoneMessage> {
    const deadline = Date.now() + ms;
    for (;;) {
      const i = this.inbox.findIndex(match);
      if (i >= 0) return this.inbox.splice(i, 1)[0]!;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${this.user}: no ${what} within ${ms} ms; got ${this.inbox.map((m) => m.firstLine).join(' | ') || 'nothing'}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => (clearTimeout(t), resolve()));
      });
    }
  }

  response(callId: string, method: string, final = true): (m: PhoneMessage) => boolean {
    return (m) => m.status > 0 && m.header('call-id') === callId && (m.header('cseq') ?? '').endsWith(method) && (!final || m.status >= 200);
  }

  via(): string {
    return `SIP/2.0/TLS ${this.ip}:${this.localPort};branch=z9hG4bK${rand()};rport`;
  }

  /** A Digest answer (MD5, qop=auth when offered) to a 401/407 challenge. */
  authorization(challenge: string, method: string, uri: string): string {
    const param = (name: string): string | undefined => new RegExp(`${name}="?([^",]+)"?`, 'i').exec(challenge)?.[1];
    const realm = param('realm') ?? '';
    const nonce = param('nonce') ?? '';
    const ha1 = md5(`${this.user}:${realm}:${this.password}`);
    const ha2 = md5(`${method}:${uri}`);
    if (!/qop="?[^"]*auth/i.test(challenge)) return `Digest username="${this.user}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${md5(`${ha1}:${nonce}:${ha2}`)}", algorithm=MD5`;
    const cnonce = rand(8);
    const response = md5(`${ha1}:${nonce}:00000001:${cnonce}:auth:${ha2}`);
    return `Digest username="${this.user}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=MD5, qop=auth, nc=00000001, cnonce="${cnonce}"`;
  }

  /** REGISTER with its Contact on this connection, answering the digest challenge. */
  async register(expires = 120): Promise<PhoneMessage> {
    const callId = rand(8);
    const uri = `sip:${this.domain}`;
    const build = (cseq: number, auth?: string): string =>
      lines([
        `REGISTER ${uri} SIP/2.0`,
        `Via: ${this.via()}`,
        'Max-Forwards: 70',
        `From: <sip:${this.user}@${this.domain}>;tag=${this.tag}`,
        `To: <sip:${this.user}@${this.domain}>`,
        `Call-ID: ${callId}`,
        `CSeq: ${cseq} REGISTER`,
        `Contact: ${this.contact}`,
        `Expires: ${expires}`,
        ...(auth ? [`Authorization: ${auth}`] : []),
      ]);
    this.send(build(1));
    const first = await this.next(this.response(callId, 'REGISTER'), 'REGISTER challenge');
    if (first.status !== 401) return first;
    this.send(build(2, this.authorization(first.header('www-authenticate') ?? '', 'REGISTER', uri)));
    return this.next(this.response(callId, 'REGISTER'), 'REGISTER answer');
  }

  /** A response to a request we received, on this connection. */
  answer(req: PhoneMessage, status: number, reason: string, toTag: string, body = ''): void {
    const to = req.header('to') ?? '';
    this.send(
      lines(
        [
          `SIP/2.0 ${status} ${reason}`,
          ...req.headers('via').map((v) => `Via: ${v}`),
          `From: ${req.header('from') ?? ''}`,
          `To: ${/;tag=/.test(to) ? to : `${to};tag=${toTag}`}`,
          `Call-ID: ${req.header('call-id') ?? ''}`,
          `CSeq: ${req.header('cseq') ?? ''}`,
          ...(status >= 200 && status < 300 && req.method === 'INVITE' ? [`Contact: ${this.contact}`] : []),
          ...(body ? ['Content-Type: application/sdp'] : []),
        ],
        body,
      ),
    );
  }
}

/** A SIP message from header lines and a body (Content-Length added). */
export function lines(head: string[], body = ''): string {
  return `${head.join('\r\n')}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

export const sdpFor = (ip: string, port: number): string => `v=0\r\no=- ${Date.now()} 1 IN IP4 ${ip}\r\ns=-\r\nc=IN IP4 ${ip}\r\nt=0 0\r\nm=audio ${port} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n`;

export const uriIn = (nameAddr: string | undefined): string => /<([^>]+)>/.exec(nameAddr ?? '')?.[1] ?? (nameAddr ?? '').split(';')[0] ?? '';
