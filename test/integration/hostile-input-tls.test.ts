import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import type Srf from 'drachtio-srf';
import { gaugesSettled, startEngine, type Harness } from '../helpers/engine-harness.js';
import { optionsRequest, statusLine, tcpExchange, tlsExchange } from '../helpers/raw-sip-peers.js';
import { makeTestCertificate, type TestCertificate } from '../helpers/tls-cert.js';

// Hostile input on a TLS listen point; after each kind the engine must still answer a well-behaved
// TLS client and hold no connection, transaction or dialog.
const ENGINE_IP = '127.14.1.1';
const MAX = 32_768;
let h: Harness;
let cert: TestCertificate;
let port = 0;
const logLines: string[] = [];

beforeAll(async () => {
  cert = makeTestCertificate([ENGINE_IP]);
  const sink = new Writable({ write: (chunk: Buffer, _e, cb) => (logLines.push(chunk.toString()), cb()) });
  h = await startEngine({
    wireHost: ENGINE_IP,
    listen: [{ host: ENGINE_IP, port: 5061, transports: ['tls'], tls: { certFile: cert.certFile, keyFile: cert.keyFile } }],
    maxMessageSize: MAX,
    partialMessageTimeoutMs: 300,
    tcpIdleTimeoutMs: 1000,
    logger: pino({ level: 'info' }, sink),
  });
  port = h.sipPort;
  const srf = await h.connectApp();
  (srf as unknown as { options(h: (req: Srf.SrfRequest, res: Srf.SrfResponse) => void): void }).options((_req, res) => res.send(200));
});

afterAll(async () => {
  await h?.stop();
  cert?.remove();
});

const wellBehaved = async (id: string): Promise<number> => {
  const ip = '127.14.1.50';
  const r = await tlsExchange(ip, ENGINE_IP, port, [optionsRequest(ip, 5061, `${ENGINE_IP}:${port}`, id, '', 'TLS')], 5000, (s) => s.includes('\r\n\r\n'));
  return statusLine(r.replies);
};

afterEach(async () => {
  expect(await wellBehaved(`after-${Date.now()}`), 'a normal request after the hostile input').toBe(200);
  expect(await gaugesSettled(h.engine)).toMatchObject({ transactions: 0, dialogs: 0, proxyContexts: 0, pendingAppRequests: 0 });
  const deadline = Date.now() + 5000;
  while (h.engine.stats().sipConnections > 0 && Date.now() < deadline) await new Promise((res) => setTimeout(res, 50));
  expect(h.engine.stats().sipConnections).toBe(0);
}, 30_000);

const rejectedLines = (ip: string): number => logLines.filter((l) => l.includes(`"peer":"${ip}"`)).length;

describe('hostile input on a TLS listen point', () => {
  it('plain-text SIP on the TLS port: the handshake fails, the connection is closed, the peer logged', async () => {
    const ip = '127.14.1.61';
    const r = await tcpExchange(ip, ENGINE_IP, port, [optionsRequest(ip, 5060, ENGINE_IP, 'cleartext', '', 'TCP')], 3000);
    expect(r).toMatchObject({ closedByPeer: true });
    expect(statusLine(r.replies)).toBe(0);
    await new Promise((res) => setTimeout(res, 100));
    expect(rejectedLines(ip)).toBe(1);
  });

  it('random bytes instead of a ClientHello close the connection', async () => {
    const noise = Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 37 + 11) % 256));
    const r = await tcpExchange('127.14.1.62', ENGINE_IP, port, [noise], 3000);
    expect(r.closedByPeer).toBe(true);
  });

  it('a TCP connection that never starts the handshake is closed after the handshake timeout', async () => {
    const r = await tcpExchange('127.14.1.63', ENGINE_IP, port, [], 5000);
    expect(r).toMatchObject({ closedByPeer: true, replies: '' });
  });

  it('a handshake then silence is closed when idle, and other clients are served meanwhile', async () => {
    const silent = tlsExchange('127.14.1.64', ENGINE_IP, port, [], 8000);
    await new Promise((res) => setTimeout(res, 100));
    expect(await wellBehaved('while-silent')).toBe(200);
    expect((await silent).closedByPeer).toBe(true);
  });

  it('garbage after the handshake closes the connection', async () => {
    const r = await tlsExchange('127.14.1.65', ENGINE_IP, port, [Buffer.from('\u0000\u00ff not sip at all\r\n\r\n', 'latin1')], 3000);
    expect(r.closedByPeer).toBe(true);
  });

  it('an oversized message closes the connection', async () => {
    const ip = '127.14.1.66';
    const big = optionsRequest(ip, 5061, ENGINE_IP, 'big-tls', `X-Filler: ${'a'.repeat(MAX + 1000)}`, 'TLS');
    const r = await tlsExchange(ip, ENGINE_IP, port, [big], 3000);
    expect(r.closedByPeer).toBe(true);
    expect(statusLine(r.replies)).not.toBe(200);
  });

  it('a partial message followed by silence is closed after partialMessageTimeoutMs', async () => {
    const r = await tlsExchange('127.14.1.67', ENGINE_IP, port, [`OPTIONS sip:ping@${ENGINE_IP} SIP/2.0\r\nVia: SIP/2.0/TLS 127.14.1.67:5061;bra`], 3000);
    expect(r).toMatchObject({ closedByPeer: true, replies: '' });
  });

  it('absurd Content-Length closes the connection', async () => {
    const ip = '127.14.1.68';
    const req = optionsRequest(ip, 5061, ENGINE_IP, 'tls-cl', '', 'TLS').replace('Content-Length: 0', 'Content-Length: 99999999999999999999');
    expect((await tlsExchange(ip, ENGINE_IP, port, [req], 3000)).closedByPeer).toBe(true);
  });

  it('forty handshakes at once that leave again free every connection', async () => {
    const all = Array.from({ length: 40 }, (_, i) => tlsExchange(`127.14.1.${100 + i}`, ENGINE_IP, port, [], 300));
    const results = await Promise.all(all);
    expect(results.every((r) => !r.closedByPeer)).toBe(true);
  });
});
