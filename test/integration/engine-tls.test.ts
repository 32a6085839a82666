import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import type Srf from 'drachtio-srf';
import { SipEngine } from '../../src/engine/engine.js';
import { describeListenError } from '../../src/engine/listen-error.js';
import { TlsFileError } from '../../src/engine/transport/tls.js';
import { gaugesSettled, SECRET, startEngine, type Harness } from '../helpers/engine-harness.js';
import { optionsRequest, statusLine, tlsExchange } from '../helpers/raw-sip-peers.js';
import { makeTestCertificate, type TestCertificate } from '../helpers/tls-cert.js';
import { lines, TlsSipPhone, uriIn } from '../helpers/tls-sip-phone.js';

// SIP over TLS: raw node:tls clients and unmodified drachtio-srf on both ends of two engines.
// Debian's SIPp is built without OpenSSL ("To use a TLS transport you must compile SIPp with
// OpenSSL"), so `-t l1` cannot run here.
const A = '127.14.0.1';
const B = '127.14.0.2';
const C = '127.14.0.3';
const CLIENT = '127.14.0.51';
const SDP = 'v=0\r\no=- 1 1 IN IP4 127.14.0.1\r\ns=-\r\nc=IN IP4 127.14.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n';

let cert: TestCertificate;
let other: TestCertificate;
let a: Harness;
let b: Harness;
let c: Harness;
let srfA: Srf;
let srfB: Srf;
let srfC: Srf;
let tlsPortA = 0;
let tlsPortB = 0;
const seenByB: Srf.SrfRequest[] = [];
const MS_PER_SECOND = 20;
type InviteHandler = (req: Srf.SrfRequest, res: Srf.SrfResponse) => void;
const answer: InviteHandler = (req, res) => void srfB.createUAS(req, res, { localSdp: SDP }).catch(() => undefined);
let onInviteB: InviteHandler = answer;
let onInviteA: InviteHandler = (_req, res) => res.send(480);
const optionsSeen: Srf.SrfRequest[] = [];

type WithOptions = { options(h: (req: Srf.SrfRequest, res: Srf.SrfResponse) => void): void };

beforeAll(async () => {
  cert = makeTestCertificate([A, B, C]);
  other = makeTestCertificate([B], 'someone-else');
  const files = { certFile: cert.certFile, keyFile: cert.keyFile, caFile: cert.caFile };
  const sessionTimers = { msPerSecond: MS_PER_SECOND };
  a = await startEngine({
    wireHost: A,
    sessionTimers,
    listen: [
      { host: A, port: 5060, transports: ['udp', 'tcp'] },
      { host: A, port: 5061, transports: ['tls'], tls: files },
    ],
  });
  b = await startEngine({ wireHost: B, sessionTimers, listen: [{ host: B, port: 5061, transports: ['tls'], tls: files }] });
  // C trusts only another certificate: B's must be refused
  c = await startEngine({ wireHost: C, listen: [{ host: C, port: 5061, transports: ['tls'], tls: { certFile: cert.certFile, keyFile: cert.keyFile, caFile: other.caFile } }] });
  tlsPortA = a.engine.listenPoints.find((p) => p.transport === 'tls')!.port;
  tlsPortB = b.engine.listenPoints[0]!.port;
  srfA = await a.connectApp();
  srfB = await b.connectApp();
  srfC = await c.connectApp();
  (srfA as unknown as WithOptions).options((req, res) => {
    optionsSeen.push(req);
    res.send(200);
  });
  srfA.invite((req, res) => onInviteA(req, res));
  srfB.invite((req, res) => {
    seenByB.push(req);
    onInviteB(req, res);
  });
});

afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await c?.stop();
  cert?.remove();
  other?.remove();
});

afterEach(async () => {
  onInviteB = answer;
  for (const h of [a, b, c]) expect(await gaugesSettled(h.engine)).toMatchObject({ transactions: 0, dialogs: 0, proxyContexts: 0, pendingAppRequests: 0 });
});

const waitFor = async (what: () => boolean, ms = 10_000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!what() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
};

/** A call from srf on A to srf on B over TLS, hung up by A; what B saw of it. */
async function callAtoB(uri: string): Promise<{ req: Srf.SrfRequest; remoteUri: string }> {
  const before = seenByB.length;
  const uac = await srfA.createUAC(uri, { localSdp: SDP });
  const remoteUri = (uac as unknown as { remote: { uri: string } }).remote.uri;
  await waitFor(() => seenByB.length > before);
  const req = seenByB[seenByB.length - 1]!;
  await uac.destroy();
  return { req, remoteUri };
}

describe('SIP over TLS on the embedded engine', () => {
  it('announces the TLS listen point to srf as tls/HOST:PORT', () => {
    expect(a.engine.listenPoints.map((p) => `${p.transport}/${p.advertised}:${p.port}`)).toEqual([`udp/${A}:5060`, `tcp/${A}:5060`, `tls/${A}:5061`]);
  });

  it('a raw TLS client (certificate verified) is answered on its connection; srf sees protocol tls', async () => {
    const req = optionsRequest(CLIENT, 5061, `${A}:${tlsPortA}`, 'tls-options-1', '', 'TLS');
    const r = await tlsExchange(CLIENT, A, tlsPortA, [req], 5000, (s) => s.includes('\r\n\r\n'), readFileSync(cert.caFile));
    expect(statusLine(r.replies)).toBe(200);
    expect(r.replies).toMatch(new RegExp(`Via: SIP/2.0/TLS ${CLIENT}:5061;branch=z9hG4bK-tls-options-1;rport=\\d+;received=${CLIENT.replace(/\./g, '\\.')}`));
    const seen = optionsSeen[optionsSeen.length - 1]!;
    expect(seen.protocol).toBe('tls');
    expect(seen.source_address).toBe(CLIENT);
    expect((seen as unknown as { server: { hostport: string } }).server.hostport).toContain(`tls/${A}:5061`);
  });

  it('srf → engine A → TLS → engine B → srf: Via SIP/2.0/TLS, Contact ;transport=tls, one connection reused', async () => {
    const first = await callAtoB(`sip:bob@${B}:${tlsPortB};transport=tls`);
    expect(first.req.protocol).toBe('tls');
    expect(first.req.get('Via')).toMatch(new RegExp(`^SIP/2.0/TLS ${A}:5061;branch=`));
    expect(first.req.get('Contact')).toContain(`${A}:5061;transport=tls`);
    expect(first.remoteUri).toBe(`sip:${B}:5061;transport=tls`);
    expect(a.engine.stats().sipConnections).toBe(1);
    const second = await callAtoB(`sip:carol@${B}:${tlsPortB};transport=tls`);
    expect(second.req.source_port).toBe(first.req.source_port);
    expect(a.engine.stats().sipConnections).toBe(1);
    expect(b.engine.stats().sipConnections).toBe(1);
  });

  it('a sips: Request-URI goes over TLS (port 5061 by default) and both Contacts are sips', async () => {
    const { req, remoteUri } = await callAtoB(`sips:dave@${B}`);
    expect(req.uri).toBe(`sips:dave@${B}`);
    expect(req.protocol).toBe('tls');
    expect(req.get('Contact')).toBe(`<sips:${A}:5061>`);
    expect(remoteUri).toBe(`sips:${B}:5061`);
  });

  it('a sips: destination with no TLS listen point is refused, not sent in the clear', async () => {
    const plain = await startEngine({ wireHost: '127.14.0.4', listen: [{ host: '127.14.0.4', port: 5060, transports: ['udp', 'tcp'] }] });
    try {
      const app = await plain.connectApp();
      await expect(app.createUAC(`sips:erin@${B}`, { localSdp: SDP })).rejects.toThrow(/transport not available/);
    } finally {
      await plain.stop();
    }
  });

  it('with caFile set, a server whose certificate that CA did not issue is refused (503)', async () => {
    const err = await srfC.createUAC(`sips:frank@${B}:${tlsPortB}`, { localSdp: SDP }).then(
      () => undefined,
      (e: unknown) => e as { status?: number },
    );
    expect(err?.status).toBe(503);
    await waitFor(() => c.engine.stats().sipConnections === 0);
    expect(c.engine.stats().sipConnections).toBe(0);
  });
});

type SendWithPrack = (status: number, opts: object, cb: (err?: unknown) => void, onPrack: (prack: Srf.SrfRequest) => void) => void;

describe('PRACK and session timers between srf apps over TLS', () => {
  it('srf on B sends a reliable 183; srf on A PRACKs it over TLS; then the call is answered', async () => {
    const pracks: Srf.SrfRequest[] = [];
    onInviteB = (req, res) => {
      (res.send as unknown as SendWithPrack)(
        183,
        { headers: { Require: '100rel' }, body: SDP },
        () => undefined,
        (prack) => {
          pracks.push(prack);
          answer(req, res);
        },
      );
    };
    const uac = await srfA.createUAC(`sips:grace@${B}:${tlsPortB}`, { localSdp: SDP, headers: { Supported: '100rel' } });
    await uac.destroy();
    expect(pracks).toHaveLength(1);
    expect(pracks[0]!.protocol).toBe('tls');
    expect(pracks[0]!.get('RAck')).toMatch(/^\d+ \d+ INVITE$/);
  });

  it('Session-Expires from srf on A: B echoes it, A refreshes by re-INVITE over TLS and srf on B sees the refresh', async () => {
    const refreshes: Srf.SrfRequest[] = [];
    onInviteB = (req, res) => {
      srfB.createUAS(req, res, { localSdp: SDP }).then(
        (uas) => uas.on('refresh', (r: Srf.SrfRequest) => refreshes.push(r)),
        () => undefined,
      );
    };
    const uac = await srfA.createUAC(`sips:heidi@${B}:${tlsPortB}`, { localSdp: SDP, headers: { 'Session-Expires': '90;refresher=uac', Supported: 'timer' } });
    await waitFor(() => refreshes.length > 0, 70 * MS_PER_SECOND);
    await uac.destroy();
    expect(refreshes).toHaveLength(1);
    expect(refreshes[0]!.protocol).toBe('tls');
  });
});

type Proxying = { proxyRequest(r: Srf.SrfRequest, d: string, o: object): Promise<unknown> };

describe('srf.proxyRequest over TLS', () => {
  it('a TLS caller proxied to a TLS callee with Record-Route: sips Record-Route; ACK and BYE relayed over TLS', async () => {
    onInviteA = (req) => void (srfA as unknown as Proxying).proxyRequest(req, `sip:ivan@${B}:${tlsPortB};transport=tls`, { recordRoute: true }).catch(() => undefined);
    const caller = await new TlsSipPhone('127.14.0.60', 'judy', 'x', 'example.test').connect(A, tlsPortA, readFileSync(cert.caFile));
    try {
      const before = seenByB.length;
      const callId = `proxy-tls-${Date.now()}`;
      const uri = `sips:ivan@${A}:${tlsPortA}`;
      caller.send(
        lines(
          [
            `INVITE ${uri} SIP/2.0`,
            `Via: ${caller.via()}`,
            'Max-Forwards: 70',
            `From: <sips:judy@example.test>;tag=${caller.tag}`,
            `To: <${uri}>`,
            `Call-ID: ${callId}`,
            'CSeq: 1 INVITE',
            `Contact: <sips:judy@127.14.0.60:${caller.localPort}>`,
            'Content-Type: application/sdp',
          ],
          SDP,
        ),
      );
      const ok = await caller.next(caller.response(callId, 'INVITE'), '200 for the proxied INVITE');
      expect(ok.status).toBe(200);
      const atB = seenByB[before]!;
      expect(atB.get('Record-Route')).toBe(`<sips:${A}:5061;lr>`);
      expect(atB.getParsedHeader('Via')[0]).toMatchObject({ protocol: 'TLS', host: A, port: 5061 });
      expect(ok.header('record-route')).toBe(`<sips:${A}:5061;lr>`);
      const target = uriIn(ok.header('contact'));
      const inDialog = (method: string, cseq: number): string =>
        lines([
          `${method} ${target} SIP/2.0`,
          `Via: ${caller.via()}`,
          'Max-Forwards: 70',
          `Route: <sips:${A}:5061;lr>`,
          `From: <sips:judy@example.test>;tag=${caller.tag}`,
          `To: ${ok.header('to') ?? ''}`,
          `Call-ID: ${callId}`,
          `CSeq: ${cseq} ${method}`,
        ]);
      caller.send(inDialog('ACK', 1));
      caller.send(inDialog('BYE', 2));
      expect((await caller.next(caller.response(callId, 'BYE'), '200 for the BYE')).status).toBe(200);
    } finally {
      caller.close();
    }
  });
});

describe('TLS certificate files', () => {
  const engineWith = (tls: { certFile: string; keyFile: string }): SipEngine =>
    new SipEngine({ sip: [{ host: '127.14.0.9', port: 0, transports: ['tls'], tls }], wire: { host: '127.14.0.9', port: 0, secret: SECRET }, logger: pino({ level: 'silent' }) });

  it('a missing certificate file stops the engine at start, naming the file', async () => {
    const e = engineWith({ certFile: '/nonexistent/sip-cert.pem', keyFile: cert.keyFile });
    const err = await e.start().then(
      () => undefined,
      (x: unknown) => x,
    );
    await e.stop().catch(() => undefined);
    expect(err).toBeInstanceOf(TlsFileError);
    expect(describeListenError(err)).toBe('TLS certificate file /nonexistent/sip-cert.pem: no such file');
  });

  it('a key file that is not PEM is named too', async () => {
    const e = engineWith({ certFile: cert.certFile, keyFile: '/etc/hostname' });
    const err = await e.start().then(
      () => undefined,
      (x: unknown) => x,
    );
    await e.stop().catch(() => undefined);
    expect(describeListenError(err)).toBe('TLS key file /etc/hostname: not a PEM file');
  });

  it('a key that does not belong to the certificate is refused', async () => {
    const e = engineWith({ certFile: cert.certFile, keyFile: other.keyFile });
    const err = await e.start().then(
      () => undefined,
      (x: unknown) => x,
    );
    await e.stop().catch(() => undefined);
    expect(describeListenError(err)).toMatch(new RegExp(`^TLS certificate file ${cert.certFile}: does not match ${other.keyFile}`));
  });
});
