import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import type Srf from 'drachtio-srf';
import { gaugesSettled, startEngine, type Harness } from '../helpers/engine-harness.js';
import { runSipp } from '../helpers/sipp.js';
import { optionsRequest, RawUdpPeer, statusLine, tcpExchange } from '../helpers/raw-sip-peers.js';

// Hostile input over UDP and TCP; after each kind the engine must still complete a normal SIPp call.
const ENGINE_IP = '127.0.0.12';
const MAX = 32_768;
let h: Harness;
let srf: Srf;
let port = 5060;
const logLines: string[] = [];

beforeAll(async () => {
  const sink = new Writable({ write: (chunk: Buffer, _e, cb) => (logLines.push(chunk.toString()), cb()) });
  h = await startEngine({ host: ENGINE_IP, port: 5060, maxMessageSize: MAX, partialMessageTimeoutMs: 300, logger: pino({ level: 'info' }, sink) });
  port = h.sipPort;
  srf = await h.connectApp();
  (srf as unknown as { options(h: (req: Srf.SrfRequest, res: Srf.SrfResponse) => void): void }).options((_req, res) => res.send(200));
  srf.invite((req, res) => void srf.createUAS(req, res, { localSdp: req.body }).catch(() => undefined));
});

afterAll(async () => {
  await h.stop();
});

afterEach(async () => {
  const call = runSipp({ scenario: 'uac', target: `${ENGINE_IP}:${port}`, ip: '127.0.0.52', port: 5060, calls: 1, durationMs: 100, timeoutSec: 15 });
  const r = await call.done;
  expect(r, 'a normal call after the hostile input').toMatchObject({ code: 0, successful: 1, failed: 0 });
  const s = await gaugesSettled(h.engine);
  expect(s).toMatchObject({ transactions: 0, dialogs: 0, proxyContexts: 0, pendingAppRequests: 0 });
  const deadline = Date.now() + 5000;
  while (h.engine.stats().sipConnections > 0 && Date.now() < deadline) await new Promise((res) => setTimeout(res, 50));
  expect(h.engine.stats().sipConnections).toBe(0);
}, 40_000);

const bigHeader = (bytes: number): string => `X-Filler: ${'a'.repeat(bytes)}`;
const manyVias = (n: number, transport = 'UDP'): string => Array.from({ length: n }, (_, i) => `Via: SIP/2.0/${transport} 192.0.2.${i % 250}:5060;branch=z9hG4bK-v${i}`).join('\r\n');

describe('hostile input over UDP', () => {
  it('an oversized datagram is refused (413 or dropped), not processed', async () => {
    const peer = await new RawUdpPeer('127.0.0.53', 5060).open();
    const replies = await peer.exchange(optionsRequest('127.0.0.53', 5060, ENGINE_IP, 'big-udp', bigHeader(MAX + 1000)), ENGINE_IP, port);
    peer.close();
    for (const r of replies) expect(statusLine(r)).toBe(413);
  });

  it('garbage from one peer: dropped, and logged once for that peer, not once per datagram', async () => {
    const peer = await new RawUdpPeer('127.0.0.54', 5060).open();
    const before = logLines.filter((l) => l.includes('"peer":"127.0.0.54"')).length;
    for (let i = 0; i < 50; i++) await peer.send(Buffer.from([0x00, 0xff, 0x13, 0x37, i, 0x0d, 0x0a]), ENGINE_IP, port);
    await new Promise((r) => setTimeout(r, 200));
    peer.close();
    expect(peer.received).toHaveLength(0);
    expect(logLines.filter((l) => l.includes('"peer":"127.0.0.54"')).length - before).toBe(1);
  });

  it('a flood of distinct Call-IDs is answered and its transactions time out (memory stays bounded)', async () => {
    const peer = await new RawUdpPeer('127.0.0.55', 5060).open();
    for (let i = 0; i < 2000; i++) {
      await peer.send(optionsRequest('127.0.0.55', 5060, ENGINE_IP, `flood-${i}-${Date.now()}`), ENGINE_IP, port);
      if (i % 10 === 9) await new Promise((r) => setTimeout(r, 5)); // ~1,500/s: the flood is about state, not socket buffers
    }
    const deadline = Date.now() + 10_000;
    while (peer.received.length < 2000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    peer.close();
    expect(peer.received.length).toBeGreaterThan(1900); // loopback UDP may drop a few under a burst
  }, 30_000);

  it('hundreds of Via headers: parsed and answered with all of them', async () => {
    const peer = await new RawUdpPeer('127.0.0.56', 5060).open();
    const req = optionsRequest('127.0.0.56', 5060, ENGINE_IP, 'many-vias-udp').replace('Max-Forwards', `${manyVias(500)}\r\nMax-Forwards`);
    const [reply] = await peer.exchange(req, ENGINE_IP, port);
    peer.close();
    expect(statusLine(reply ?? '')).toBe(200);
    expect(reply?.match(/^Via:/gm)?.length).toBe(501);
  });

  it('absurd Content-Length values get 400 (or 413 when merely too large)', async () => {
    const peer = await new RawUdpPeer('127.0.0.57', 5060).open();
    for (const cl of ['99999999999999999999', '-5', '4294967296', 'abc']) {
      const req = optionsRequest('127.0.0.57', 5060, ENGINE_IP, `cl-${cl}`).replace('Content-Length: 0', `Content-Length: ${cl}`);
      const [reply] = await peer.exchange(req, ENGINE_IP, port);
      expect([400, 413], cl).toContain(statusLine(reply ?? ''));
      expect(reply).toMatch(/Content-Length/);
    }
    peer.close();
  });

  it('invalid UTF-8 in header values does not stop the engine (answered)', async () => {
    const peer = await new RawUdpPeer('127.0.0.58', 5060).open();
    const text = optionsRequest('127.0.0.58', 5060, ENGINE_IP, 'bad-utf8').replace('<sip:hostile@', '"\u00c3\u0028\u00ff\u00fe" <sip:hostile@');
    const [reply] = await peer.exchange(Buffer.from(text, 'latin1'), ENGINE_IP, port);
    peer.close();
    expect([200, 400]).toContain(statusLine(reply ?? ''));
  });
});

describe('hostile input over TCP', () => {
  const ip = '127.0.0.59';
  it('an oversized message closes the connection', async () => {
    const r = await tcpExchange(ip, ENGINE_IP, port, [optionsRequest(ip, 5060, ENGINE_IP, 'big-tcp', bigHeader(MAX + 1000), 'TCP')], 2000);
    expect(r.closedByPeer).toBe(true);
  });

  it('a partial message followed by silence is closed after partialMessageTimeoutMs', async () => {
    const r = await tcpExchange(ip, ENGINE_IP, port, ['OPTIONS sip:ping@127.0.0.12 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.59:5060;bra'], 3000);
    expect(r).toMatchObject({ closedByPeer: true, replies: '' });
  });

  it('garbage closes the connection', async () => {
    const r = await tcpExchange(ip, ENGINE_IP, port, [Buffer.from('\u0016\u0003\u0001 not sip at all\r\n\r\n', 'latin1')], 2000);
    expect(r.closedByPeer).toBe(true);
  });

  it('thousands of Via headers beyond the size limit close the connection; hundreds are answered', async () => {
    const huge = optionsRequest(ip, 5060, ENGINE_IP, 'vias-tcp-huge', '', 'TCP').replace('Max-Forwards', `${manyVias(5000, 'TCP')}\r\nMax-Forwards`);
    expect((await tcpExchange(ip, ENGINE_IP, port, [huge], 2000)).closedByPeer).toBe(true);
    const fine = optionsRequest(ip, 5060, ENGINE_IP, 'vias-tcp-fine', '', 'TCP').replace('Max-Forwards', `${manyVias(400, 'TCP')}\r\nMax-Forwards`);
    const r = await tcpExchange(ip, ENGINE_IP, port, [fine], 1000);
    expect(statusLine(r.replies)).toBe(200);
  });

  it('absurd or negative Content-Length closes the connection', async () => {
    for (const cl of ['99999999999999999999', '-999', '4294967296']) {
      const req = optionsRequest(ip, 5060, ENGINE_IP, `tcp-cl-${cl}`, '', 'TCP').replace('Content-Length: 0', `Content-Length: ${cl}`);
      expect((await tcpExchange(ip, ENGINE_IP, port, [req], 2000)).closedByPeer, cl).toBe(true);
    }
  });

  it('invalid UTF-8 over TCP is answered, the connection survives', async () => {
    const text = optionsRequest(ip, 5060, ENGINE_IP, 'bad-utf8-tcp', '', 'TCP').replace('<sip:hostile@', '"\u00c3\u0028\u00ff" <sip:hostile@');
    const r = await tcpExchange(ip, ENGINE_IP, port, [Buffer.from(text, 'latin1')], 800);
    expect([200, 400]).toContain(statusLine(r.replies));
    expect(r.closedByPeer).toBe(false);
  });
});
