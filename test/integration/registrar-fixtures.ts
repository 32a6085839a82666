import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSipp, type SippResult } from '../helpers/sipp.js';
import { UdpSipClient, headerOf, statusOf } from '../helpers/udp-client.js';

export const DOMAIN = 'demo.local';

export interface RegistrarTestConfig {
  minExpires?: number;
  defaultExpires?: number;
  maxFailures?: number;
  /** Offered algorithms (default here: MD5 then SHA-256, so SIPp and the SHA-256 client both work). */
  algorithms?: string;
}

/** config/default.yaml with the few registrar/auth settings a test needs changed. */
export function registrarConfig(o: RegistrarTestConfig = {}): string {
  let text = readFileSync('config/default.yaml', 'utf8');
  const swap = (from: string, to: string): void => {
    if (!text.includes(from)) throw new Error(`config/default.yaml no longer contains "${from}"`);
    text = text.replace(from, to);
  };
  swap('minExpires: 60', `minExpires: ${o.minExpires ?? 60}`);
  swap('defaultExpires: 120', `defaultExpires: ${o.defaultExpires ?? 120}`);
  swap('ban: { maxFailures: 10,', `ban: { maxFailures: ${o.maxFailures ?? 10},`);
  swap('algorithms: [MD5]', `algorithms: ${o.algorithms ?? '[MD5, SHA-256]'}`);
  // 127.0.0.103 (in this suite's SIPp range) stands for a carrier SBC: trusted, never banned.
  swap('trustedAddresses: [127.0.0.51]', 'trustedAddresses: [127.0.0.51, 127.0.0.103]');
  // Extensions 110..119 (password test1NN), one per test, so tests sharing a product never meet.
  const extra = Array.from({ length: 10 }, (_, i) => 110 + i)
    .map((n) => `      '${n}': { displayName: Test ${n}, password: test${n}, cos: default }\n`)
    .join('');
  swap('    extensions:\n', `    extensions:\n${extra}`);
  return text;
}

/** One SIPp injection row: username, the whole [authentication] keyword (SIPp will not expand fields in it), domain. */
export const credentialsRow = (user: string, password: string, domain = DOMAIN): string => `${user};[authentication username=${user} password=${password}];${domain}`;

export interface RegistrarSippRun {
  scenario: string;
  target: string;
  ip: string;
  rows: string[];
  calls?: number;
  port?: number;
  transport?: 'udp' | 'tcp';
}

/** Runs a sipp-scenarios/registrar scenario once per injection row (sequentially). */
export function runRegistrarSipp(o: RegistrarSippRun): Promise<SippResult> {
  const dir = mkdtempSync(join(tmpdir(), 'reg-inf-'));
  const inf = join(dir, 'users.csv');
  writeFileSync(inf, `SEQUENTIAL\n${o.rows.join('\n')}\n`);
  return runSipp({
    scenario: `registrar/${o.scenario}.xml`,
    target: o.target,
    ip: o.ip,
    port: o.port ?? 5070,
    calls: o.calls ?? o.rows.length,
    injectionFile: inf,
    timeoutSec: 20,
    ...(o.transport && { transport: o.transport }),
  }).done;
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

/** A phone that answers a challenge with the algorithm it prefers (SIPp cannot do SHA-256). */
export async function registerWithDigest(o: {
  ip: string;
  target: { host: string; port: number };
  /** Where the authenticated REGISTER goes (default: target), e.g. another app instance. */
  answerTarget?: { host: string; port: number };
  user: string;
  password: string;
  algorithm: 'SHA-256' | 'MD5';
  expires?: number;
}): Promise<{ challenge: string[]; status: number; response: string | undefined }> {
  const client = await new UdpSipClient(o.ip).open();
  try {
    const callId = randomBytes(8).toString('hex');
    const tag = randomBytes(4).toString('hex');
    const uri = `sip:${DOMAIN}`;
    const build = (cseq: number, auth?: string): string =>
      [
        `REGISTER ${uri} SIP/2.0`,
        `Via: SIP/2.0/UDP ${o.ip}:${client.localPort};branch=z9hG4bK${randomBytes(6).toString('hex')};rport`,
        'Max-Forwards: 70',
        `From: <sip:${o.user}@${DOMAIN}>;tag=${tag}`,
        `To: <sip:${o.user}@${DOMAIN}>`,
        `Call-ID: ${callId}`,
        `CSeq: ${cseq} REGISTER`,
        `Contact: <sip:${o.user}@${o.ip}:${client.localPort}>`,
        `Expires: ${o.expires ?? 120}`,
        ...(auth ? [`Authorization: ${auth}`] : []),
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
    client.send(build(1), o.target.host, o.target.port);
    const first = await client.next(5000);
    const challenge = [...(first ?? '').matchAll(/^WWW-Authenticate\s*:\s*(.*)$/gim)].map((m) => m[1]!.trim());
    const chosen = challenge.find((c) => new RegExp(`algorithm=${o.algorithm}(,|$)`, 'i').test(c));
    if (statusOf(first) !== 401 || !chosen) return { challenge, status: statusOf(first), response: first };
    const param = (name: string): string => new RegExp(`${name}="?([^",]+)"?`, 'i').exec(chosen)?.[1] ?? '';
    const realm = param('realm');
    const nonce = param('nonce');
    const cnonce = randomBytes(8).toString('hex');
    const h = o.algorithm === 'SHA-256' ? sha256 : md5;
    const ha1 = h(`${o.user}:${realm}:${o.password}`);
    const ha2 = h(`REGISTER:${uri}`);
    const response = h(`${ha1}:${nonce}:00000001:${cnonce}:auth:${ha2}`);
    const auth = `Digest username="${o.user}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=${o.algorithm}, qop=auth, nc=00000001, cnonce="${cnonce}"`;
    const to = o.answerTarget ?? o.target;
    client.send(build(2, auth), to.host, to.port);
    const second = await client.next(5000);
    return { challenge, status: statusOf(second), response: second };
  } finally {
    client.close();
  }
}

export { headerOf };
