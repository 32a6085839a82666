import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { parseConfig, type Config } from '../../src/config/index.js';
import { runProduct, type RunningProduct } from '../../src/ops/run-product.js';
import { registerWithDigest, registrarConfig } from './registrar-fixtures.js';

// Loopback addresses of this file: product 127.0.0.210, device 127.0.0.211.
const HOST = '127.0.0.210';

describe('the product as npm start runs it, with the embedded engine in its own thread', () => {
  let product: RunningProduct;

  beforeAll(async () => {
    const parsed = parseConfig(registrarConfig(), 'thread-test.yaml');
    const config: Config = {
      ...parsed,
      sip: { listen: [{ host: HOST, port: 5060, transports: ['udp', 'tcp'] }] },
      drachtio: { ...parsed.drachtio, port: 0, ownThread: true },
      http: { host: HOST, port: 0, enabled: true },
      media: { ...parsed.media, mode: 'embedded', embedded: { ...parsed.media.embedded, host: HOST, sipPort: 5080, rtpRangeStart: 21000, rtpRangeEnd: 21099 } },
    };
    product = await runProduct(config, pino({ level: 'silent' }), { nonceSecret: 'thread-test' });
    await product.connected;
  });

  afterAll(async () => {
    await product?.stop();
  });

  it('a device registers with digest auth through the engine thread and is bound', async () => {
    const r = await registerWithDigest({ ip: '127.0.0.211', target: { host: HOST, port: 5060 }, user: '110', password: 'test110', algorithm: 'MD5' });
    expect(r.status, r.response).toBe(200);
    const bindings = await product.ctx.registrar.contactsOf('demo', '110');
    expect(bindings.map((b) => b.source.address)).toEqual(['127.0.0.211']);
  });

  it('the engine thread reports its gauges: one application connected, completed REGISTERs waiting out Timer J', async () => {
    const stats = await product.engine!.stats();
    expect(stats.appConnections).toBe(1);
    expect(stats.completedResponses).toBeGreaterThanOrEqual(2); // the 401 and the 200 above
    expect(stats.transactions).toBe(0);
  });

  it('the embedded media server runs in its own thread: the media port connects and /health and /metrics show it', async () => {
    let body: { media?: { mode: string; servers: { connected: boolean }[]; gauges: Record<string, number> } } = {};
    for (let i = 0; i < 50 && !body.media?.servers[0]?.connected; i++) {
      body = (await (await fetch(`${product.httpUrl}/health`)).json()) as typeof body;
      if (!body.media?.servers[0]?.connected) await new Promise((r) => setTimeout(r, 100));
    }
    expect(body.media).toMatchObject({ mode: 'embedded', servers: [{ connected: true }] });
    expect(product.ctx.media?.pick()).toBeDefined();
    const metrics = await (await fetch(`${product.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/^media_server_connected\{server="127\.0\.0\.210:\d+"\} 1$/m);
  });

  it("/health and /metrics show the engine thread's gauges and the carrier trunks", async () => {
    const health = await fetch(`${product.httpUrl}/health`);
    expect(health.status).toBe(200);
    const body = (await health.json()) as { status: string; trunks: { tenant: string; trunk: string; health: string; activeCalls: number }[] };
    expect(body).toMatchObject({ engine: { appConnections: 1, dialogs: 0 } });
    expect(body.trunks.map((t) => `${t.tenant}/${t.trunk}:${t.activeCalls}`).sort()).toEqual(['demo/bellprimarysbc:0', 'demo/bellsecondarysbc:0']);
    // nobody answers the demo SBC addresses here: the watchdog may already have marked them down
    // (the media server is connected by now: the test above waited for it)
    expect(body.status).toBe(body.trunks.some((t) => t.health === 'down') ? 'degraded' : 'ok');
    const metrics = await (await fetch(`${product.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/^sip_engine_live\{kind="appConnections"\} 1$/m);
    expect(metrics).toMatch(/^sip_trunk_up\{tenant="demo",trunk="bellprimarysbc"\} [01]$/m);
    expect(metrics).toMatch(/^sip_trunk_active_calls\{tenant="demo",trunk="bellsecondarysbc"\} 0$/m);
  });

  it('stopping the product stops the engine thread: its SIP port is free again', async () => {
    const engine = product.engine!;
    await product.stop();
    await expect(engine.stats()).rejects.toThrow(/stopped/);
    const dgram = await import('node:dgram');
    const sock = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      sock.once('error', reject);
      sock.bind(5060, HOST, () => resolve());
    });
    sock.close();
    // and the media server's SIP port too
    const media = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      media.once('error', reject);
      media.bind(5080, HOST, () => resolve());
    });
    media.close();
  });
});
