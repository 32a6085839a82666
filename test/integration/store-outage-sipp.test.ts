import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { startProduct, type Product } from '../helpers/product-harness.js';
import { startRestartableRedisServer, type RestartableRedisServer } from '../helpers/redis-server.js';
import { runSipp, sippStartDelay } from '../helpers/sipp.js';
import { capturingLogger } from '../unit/store/log-capture.js';
import { callsConfig, deviceCalls, deviceRow, expectSipp, injection, registerDevice, uas } from './calls-support.js';
import { startHttp } from '../../src/ops/http.js';
import { callsByTenant, registeredByTenant, storeStatus } from '../../src/ops/store-status.js';
import { RedisLocationStore, ResilientLocationStore } from '../../src/store/index.js';

// Issue 15's acceptance: Redis killed during a SIPp REGISTER load and started again on the same
// port. Redis 127.12.0.1, engine + /health 127.12.0.2, REGISTER load (4 devices) from 127.12.0.10:5070,
// the called phone 102 at 127.12.0.20, the caller 101 at 127.12.0.30.
const REDIS_HOST = '127.12.0.1';
const SIP_HOST = '127.12.0.2';
const LOAD_IP = '127.12.0.10';
const CALLEE_IP = '127.12.0.20';
const CALLER_IP = '127.12.0.30';
// 103 is never registered: this instance knows nothing of it
const LOAD_DEVICES = ['100', '100_2', '100_3', '101'];
const RATE = 60;
const REGISTERS = 600;

let redis: RestartableRedisServer;
let p: Product;
let http: FastifyInstance;
let healthUrl: string;
const captured = capturingLogger('info');
const consoleErrors: unknown[][] = [];

interface Health {
  status: string;
  store: { state: string; pendingWrites: number; outages: number };
  devices: { tenant: string; devices: number; bindings: number }[];
  calls: { tenant: string; active: number }[];
}
const health = async (): Promise<Health> => (await (await fetch(`${healthUrl}/health`)).json()) as Health;
async function until(what: string, ok: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void consoleErrors.push(args));
  redis = await startRestartableRedisServer({ host: REDIS_HOST });
  p = await startProduct({ sipHost: SIP_HOST, configText: callsConfig({ sbcHosts: ['127.12.0.51', '127.12.0.52'] }), redisUrl: redis.url, log: captured.log });
  http = await startHttp(SIP_HOST, 0, {
    connected: () => true,
    store: () => storeStatus(p.ctx),
    registered: () => registeredByTenant(p.ctx),
    calls: () => callsByTenant(p.ctx, p.services),
  });
  const addr = http.server.address();
  healthUrl = `http://${SIP_HOST}:${typeof addr === 'object' && addr ? addr.port : 0}`;
  await until('the store up', async () => (await health()).store.state === 'up');
});
afterAll(async () => {
  await http?.close();
  await p?.stop();
  await redis?.stop();
  vi.restoreAllMocks();
});

describe('Redis killed during a REGISTER load and started again (issue 15)', () => {
  it('every REGISTER is answered within 1 s, a call to a known phone connects during the outage (an unknown one gets 503 + Retry-After), /health shows down then up, Redis ends with the newest bindings', async () => {
    await registerDevice(p, '102', CALLEE_IP);
    const load = runSipp({
      scenario: 'registrar/register-answered-within-1s.xml',
      target: p.target,
      ip: LOAD_IP,
      port: 5070,
      calls: REGISTERS,
      rate: RATE,
      injectionFile: injection(LOAD_DEVICES.map((d) => deviceRow(d))),
      timeoutSec: 60,
    });
    await sleep(2_500);
    await redis.kill();
    const killedAt = Date.now();
    const statuses: string[] = [];
    await until('/health to say the store is down', async () => {
      const h = await health();
      statuses.push(h.status);
      return h.store.state === 'down';
    });
    expect(statuses.at(-1)).toBe('degraded');

    // during the outage: phone 102 (registered through this instance) is called and answers
    const callee = uas('device-ring-then-answer', CALLEE_IP);
    await sippStartDelay();
    const caller = deviceCalls(p, 'device-call-answered-then-hang-up', '101', '102', CALLER_IP);
    const [c, a] = await Promise.all([caller.done, callee.done]);
    expectSipp(c, 1, 'caller 101 during the outage');
    expectSipp(a, 1, 'phone 102 during the outage');
    // an extension this instance knows nothing of: 503 with Retry-After, not 500
    expectSipp(await deviceCalls(p, 'device-call-gets-503-retry-after', '101', '103', CALLER_IP).done, 1, 'caller 101 to the unknown 103');
    const during = await health();
    expect(during.store.state).toBe('down');
    expect(during.store.pendingWrites).toBeGreaterThan(0);

    // an outage of about 5 s, then Redis again on the same port, empty
    await sleep(Math.max(0, 5_000 - (Date.now() - killedAt)));
    await redis.restart();
    await until('/health to say the store is up', async () => (await health()).store.state === 'up');
    await until('the buffered registrations written', async () => (await health()).store.pendingWrites === 0);

    const r = await load.done;
    if (r.failed > 0 || r.code !== 0) console.log('REGISTER load', r.code, r.stderr.slice(0, 2000), r.errors);
    // a REGISTER not answered within 1 s (or not with 200) would have failed its SIPp call
    expect(r).toMatchObject({ code: 0, successful: REGISTERS, failed: 0 });

    const after = await health();
    expect(after.status).toBe('ok');
    expect(after.store.outages).toBe(1);
    expect(after.devices.find((t) => t.tenant === 'demo')).toMatchObject({ devices: LOAD_DEVICES.length + 1, bindings: LOAD_DEVICES.length + 1 });

    // Redis holds, for every device, the binding of its newest REGISTER (what this instance answered last)
    const store = p.ctx.store as ResilientLocationStore;
    const other = new Redis(redis.url);
    try {
      const inRedis = new RedisLocationStore({ redis: other });
      for (const d of [...LOAD_DEVICES, '102']) {
        const device = { tenant: 'demo', extension: d.replace(/_\d+$/, ''), deviceUser: d };
        const newest = store.cache.device(device, Date.now());
        const stored = await inRedis.getDeviceBindings(device);
        expect(newest, d).toHaveLength(1);
        expect(
          stored.map((b) => [b.callId, b.cseq, b.contactUri]),
          d,
        ).toEqual(newest!.map((b) => [b.callId, b.cseq, b.contactUri]));
      }
    } finally {
      other.disconnect();
    }

    const metrics = await (await fetch(`${healthUrl}/metrics`)).text();
    expect(metrics).toMatch(/^sip_store_up 1$/m);
    expect(metrics).toMatch(/^sip_store_outages_total 1$/m);
    expect(metrics).toMatch(new RegExp(`^sip_registered_devices\\{tenant="demo"\\} ${LOAD_DEVICES.length + 1}$`, 'm'));
    expect(metrics).toMatch(/^sip_tenant_calls_in_progress\{tenant="demo"\} 0$/m);
  }, 90_000);

  it('the log of the run holds one down line and one recovery line, JSON with the cause; no REGISTER at info; nothing from ioredis itself', () => {
    const lines = captured.lines();
    const store = lines.filter((l) => l.store === 'redis');
    expect(store.filter((l) => String(l.msg).startsWith('store down')).map((l) => l.level)).toEqual([50]);
    expect(store.filter((l) => String(l.msg).startsWith('store back up')).map((l) => l.level)).toEqual([30]);
    expect(store.find((l) => String(l.msg).startsWith('store down'))!.cause).toEqual(expect.any(String));
    expect(lines.filter((l) => String(l.msg).includes('REGISTER'))).toEqual([]);
    expect(lines.filter((l) => l.level >= 50 && l.store !== 'redis')).toEqual([]);
    expect(consoleErrors.filter((a) => String(a[0]).includes('ioredis') || String(a[0]).includes('Unhandled'))).toEqual([]);
  });
});
