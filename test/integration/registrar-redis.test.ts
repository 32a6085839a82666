import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startProduct, type Product } from '../helpers/product-harness.js';
import { startRedisServer, type RedisServerHandle } from '../helpers/redis-server.js';
import { credentialsRow, registerWithDigest, registrarConfig, runRegistrarSipp } from './registrar-fixtures.js';

// Engine addresses 127.0.0.122–123, SIPp and test phones 127.0.0.90–95.
const CONFIG = registrarConfig({ minExpires: 1, defaultExpires: 2 });
const NONCE_SECRET = 'shared-by-every-instance';
let redis: RedisServerHandle;
let a: Product;
let b: Product;
const start = (sipHost: string) => startProduct({ sipHost, configText: CONFIG, redisUrl: redis.url, nonceSecret: NONCE_SECRET });
const hostPort = (prod: Product) => ({ host: prod.target.split(':')[0]!, port: Number(prod.target.split(':')[1]) });
const devices = async (prod: Product, ext: string) => (await prod.ctx.registrar.contactsOf('demo', ext)).map((x) => x.deviceUser).sort();

beforeAll(async () => {
  redis = await startRedisServer();
  a = await start('127.0.0.122');
  b = await start('127.0.0.123');
});
afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await redis?.stop();
});

describe('registrar with the Redis location store', () => {
  it('a binding made through one instance is seen by another instance sharing the store', async () => {
    const r = await runRegistrarSipp({ scenario: 'register-md5', target: a.target, ip: '127.0.0.90', rows: [credentialsRow('110', 'test110')] });
    expect(r, r.errors).toMatchObject({ code: 0, successful: 1, failed: 0 });
    const seen = await b.ctx.registrar.contactsOf('demo', '110');
    expect(seen.map((x) => [x.deviceUser, x.source])).toEqual([['110', { address: '127.0.0.90', port: 5070, transport: 'udp' }]]);
  });

  it('a challenge from one instance can be answered to another (nonces signed with the shared secret)', async () => {
    const r = await registerWithDigest({ ip: '127.0.0.91', target: hostPort(a), answerTarget: hostPort(b), user: '111', password: 'test111', algorithm: 'SHA-256', expires: 120 });
    expect(r.status, r.response).toBe(200);
    expect(await devices(a, '111')).toEqual(['111']);
  });

  it('bindings are still there after the application restarts', async () => {
    await runRegistrarSipp({ scenario: 'register-md5', target: a.target, ip: '127.0.0.92', rows: [credentialsRow('100_2', 'demo100')] });
    expect(await devices(a, '100')).toEqual(['100_2']);
    await a.stop();
    a = await start('127.0.0.122');
    expect(await devices(a, '100')).toEqual(['100_2']);
    expect(await devices(a, '110')).toEqual(['110']);
  });

  it('a binding expires when its granted expiry passes, and Redis holds it only for a bounded time', async () => {
    const r = await registerWithDigest({ ip: '127.0.0.93', target: hostPort(a), user: '113', password: 'test113', algorithm: 'MD5', expires: 1 });
    expect(r.status, r.response).toBe(200);
    expect(await devices(b, '113')).toEqual(['113']);

    const client = new Redis(redis.url);
    try {
      const keys = (await client.keys('*')).filter((k) => k.includes(':b:113:'));
      expect(keys).toHaveLength(1);
      const ttl = await client.pttl(keys[0]!);
      // native expiry = granted 1 s + the store's grace period (30 s): Redis deletes it by itself
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(31_000);
    } finally {
      client.disconnect();
    }
    let left = ['113'];
    for (let i = 0; i < 40 && left.length > 0; i++) {
      await new Promise((res) => setTimeout(res, 100));
      left = await devices(b, '113');
    }
    expect(left).toEqual([]);
  });
});
