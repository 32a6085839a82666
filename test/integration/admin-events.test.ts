import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import pino from 'pino';
import { parseConfig, type Config } from '../../src/config/index.js';
import { runProduct, type RunningProduct } from '../../src/ops/run-product.js';
import type { AppEvent } from '../../src/app/events/app-events.js';
import { adminRequest } from '../helpers/admin-client.js';
import { runSipp, sippStartDelay } from '../helpers/sipp.js';
import { openSse, type SseEvent, type SseStream } from '../helpers/sse-client.js';
import { callsConfig, deviceRow, expectSipp, injection, uas } from './calls-support.js';
import { adminProductConfig } from '../helpers/admin-product-config.js';

// Loopback addresses of this file (range 127.11.0.0/16): product 127.11.1.1, SBCs 127.11.1.51/52
// (nothing answers there: the primary's pings fail), callee 100 at 127.11.1.31, caller 127.11.1.40,
// admin clients 127.11.1.10.
const HOST = '127.11.1.1';
const SBCS = ['127.11.1.51', '127.11.1.52'] as const;
const TOKEN = 'admin-events-token-0123456789';
const CLIENT = '127.11.1.10';

const is =
  <T extends AppEvent['type']>(type: T, extra: (e: Extract<AppEvent, { type: T }>) => boolean = () => true) =>
  (e: SseEvent): boolean =>
    e.type === type && (e.data as AppEvent).type === type && extra(e.data as Extract<AppEvent, { type: T }>);

describe('GET /api/v1/events: server-sent events of registrations, calls, trunks and bans', () => {
  let product: RunningProduct;
  let api: string;
  let stream: SseStream;

  beforeAll(async () => {
    const parsed = parseConfig(callsConfig({ sbcHosts: SBCS, primaryPingSeconds: 1 }), 'admin-events.yaml');
    const config: Config = {
      ...adminProductConfig(parsed, HOST, TOKEN),
      cdr: { ...parsed.cdr, file: join(mkdtempSync(join(tmpdir(), 'events-cdr-')), 'calls.jsonl'), maxBytes: 1024 * 1024, keep: 1 },
    };
    product = await runProduct(config, pino({ level: 'silent' }), { nonceSecret: 'admin-events' });
    await product.connected;
    api = `${product.adminUrl!}/api/v1`;
  });

  afterAll(async () => {
    stream?.close();
    await product?.stop();
  });

  it('refuses a stream without the token, and nobody listens to the bus then', async () => {
    const none = await openSse(`${api}/events`, { localAddress: CLIENT });
    expect(none.status).toBe(401);
    await none.ended;
    expect(product.ctx.events.listening).toBe(false);
  });

  it('opens a stream with the token: text/event-stream, a ready event first', async () => {
    stream = await openSse(`${api}/events`, { token: TOKEN, localAddress: CLIENT });
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(stream.headers['cache-control']).toBe('no-store');
    await stream.next((e) => e.type === 'ready', 3000, 'ready');
    expect(product.ctx.events.listening).toBe(true);
  });

  it('a SIPp REGISTER produces registration.added with the device and its source', async () => {
    const reg = await runSipp({ scenario: 'registrar/register-md5.xml', target: `${HOST}:5060`, ip: '127.11.1.31', port: 5060, calls: 1, injectionFile: injection([deviceRow('100')]) }).done;
    expectSipp(reg, 1, 'REGISTER of 100');
    const e = await stream.next(
      is('registration.added', (r) => r.deviceUser === '100'),
      5000,
      'registration.added of 100',
    );
    expect(e.data).toMatchObject({ tenant: 'demo', extension: '100', deviceUser: '100', refreshed: false, source: { address: '127.11.1.31', port: 5060, transport: 'udp' } });
    expect(Date.parse((e.data as { expiresAt: string }).expiresAt)).toBeGreaterThan(Date.now());
  });

  it('a SIPp call produces call.started, call.answered and call.ended with one call id, in that order', async () => {
    const callee = uas('device-ring-then-answer', '127.11.1.31');
    await sippStartDelay();
    const caller = runSipp({
      scenario: 'calls/device-call-answered-held-2500ms.xml',
      target: `${HOST}:5060`,
      ip: '127.11.1.40',
      port: 5060,
      calls: 1,
      injectionFile: injection([deviceRow('101')]),
      extra: ['-s', '100'],
    });
    const started = await stream.next(
      is('call.started', (c) => c.call.dialled === '100'),
      5000,
      'call.started',
    );
    const call = (started.data as Extract<AppEvent, { type: 'call.started' }>).call;
    expect(call).toMatchObject({ tenant: 'demo', caller: '101', dialled: '100', state: 'setup', direction: 'device' });
    const answered = await stream.next(
      is('call.answered', (c) => c.call.callId === call.callId),
      5000,
      'call.answered',
    );
    expect((answered.data as { call: object }).call).toMatchObject({ state: 'answered', answeredAt: expect.any(String) });
    const [c, u] = await Promise.all([caller.done, callee.done]);
    expectSipp(c, 1, 'caller 101');
    expectSipp(u, 1, 'callee 100');
    const ended = await stream.next(
      is('call.ended', (x) => x.call.callId === call.callId),
      5000,
      'call.ended',
    );
    expect((ended.data as { call: object }).call).toMatchObject({ state: 'ended', finalStatus: 200, hangupSide: 'caller', endedAt: expect.any(String) });
    const order = stream.events.filter((e) => (e.data as { call?: { callId: string } }).call?.callId === call.callId).map((e) => e.type);
    expect(order).toEqual(['call.started', 'call.answered', 'call.ended']);
    const ids = stream.events.filter((e) => e.id !== undefined).map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('the trunk watchdog marking the unanswering primary SBC down produces trunk.changed', async () => {
    const e = await stream.next(
      is('trunk.changed', (t) => t.trunk === 'bellprimarysbc'),
      15_000,
      'trunk.changed',
    );
    expect(e.data).toMatchObject({ tenant: 'demo', trunk: 'bellprimarysbc', health: 'down', changedAt: expect.any(String) });
  });

  it('taking the secondary trunk out of service and back through the API produces trunk.changed each time', async () => {
    const out = await adminRequest(`${api}/trunks/demo/bellsecondarysbc/out-of-service`, {
      method: 'POST',
      token: TOKEN,
      localAddress: CLIENT,
      body: JSON.stringify({ reason: 'carrier maintenance' }),
      contentType: 'application/json',
    });
    expect(out.status, out.text).toBe(200);
    const e = await stream.next(
      is('trunk.changed', (t) => t.trunk === 'bellsecondarysbc'),
      3000,
      'trunk.changed (out of service)',
    );
    expect(e.data).toMatchObject({ tenant: 'demo', health: 'out-of-service', detail: 'carrier maintenance' });
    const back = await adminRequest(`${api}/trunks/demo/bellsecondarysbc/in-service`, { method: 'POST', token: TOKEN, localAddress: CLIENT });
    expect(back.status, back.text).toBe(200);
    const b = await stream.next(
      is('trunk.changed', (t) => t.trunk === 'bellsecondarysbc' && t.health !== 'out-of-service'),
      3000,
      'trunk.changed (in service)',
    );
    expect(b.data).toMatchObject({ tenant: 'demo', health: 'up' });
  });

  it('a ban and its lifting through the API produce ban.added and ban.lifted', async () => {
    const address = '192.0.2.77';
    for (let i = 0; i < product.ctx.config.auth.ban.maxFailures; i++) product.ctx.bans.recordFailure(address);
    await stream.next(
      is('ban.added', (b) => b.address === address),
      3000,
      'ban.added',
    );
    const r = await adminRequest(`${api}/bans/${address}`, { method: 'DELETE', token: TOKEN, localAddress: CLIENT });
    expect(r.status, r.text).toBe(200);
    await stream.next(
      is('ban.lifted', (b) => b.address === address),
      3000,
      'ban.lifted',
    );
  });

  it('unregistering the device through the API produces registration.removed (admin)', async () => {
    const r = await adminRequest(`${api}/registrations/demo/100/100`, { method: 'DELETE', token: TOKEN, localAddress: CLIENT });
    expect(r.status, r.text).toBe(200);
    const e = await stream.next(
      is('registration.removed', (x) => x.deviceUser === '100'),
      3000,
      'registration.removed',
    );
    expect(e.data).toMatchObject({ reason: 'admin', tenant: 'demo', extension: '100', source: { address: '127.11.1.31' } });
  });

  it('carries no secret: neither the admin token nor a device password appears in the stream', () => {
    expect(stream.raw()).not.toContain(TOKEN);
    expect(stream.raw()).not.toMatch(/demo10[0-3]/);
    expect(stream.raw()).not.toMatch(/password|nonce/i);
  });

  it('closing the last stream stops the bus listening', async () => {
    stream.close();
    for (let i = 0; i < 50 && product.ctx.events.listening; i++) await new Promise((r) => setTimeout(r, 20));
    expect(product.ctx.events.listening).toBe(false);
  });

  it('a client that stops reading is dropped once it is too far behind; the process keeps no backlog for it', async () => {
    const port = Number(new URL(api).port);
    const socket = connect({ host: HOST, port, localAddress: CLIENT });
    await new Promise<void>((ok, fail) => socket.once('connect', ok).once('error', fail));
    socket.write(`GET /api/v1/events HTTP/1.1\r\nHost: ${HOST}\r\nAuthorization: Bearer ${TOKEN}\r\n\r\n`);
    for (let i = 0; i < 100 && !product.ctx.events.listening; i++) await new Promise((r) => setTimeout(r, 20));
    expect(product.ctx.events.listening).toBe(true);
    socket.pause(); // reads nothing more: kernel buffers fill, then the server's own
    const padding = 'x'.repeat(900);
    let sent = 0;
    while (product.ctx.events.listening && sent < 200_000) {
      for (let i = 0; i < 500; i++) product.ctx.events.emit({ type: 'ban.lifted', address: `${padding}${sent++}` });
      await new Promise((r) => setImmediate(r));
    }
    socket.destroy();
    expect(product.ctx.events.listening, `still streaming after ${sent} events of ~1 KB`).toBe(false);
  });

  it('the server ends open streams when it stops', async () => {
    const again = await openSse(`${api}/events`, { token: TOKEN, localAddress: CLIENT });
    await again.next((e) => e.type === 'ready', 3000, 'ready');
    const stopped = product.stop();
    await again.ended;
    await stopped;
  });
});
