import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { parseConfig, type Config } from '../../src/config/index.js';
import { runProduct, type RunningProduct } from '../../src/ops/run-product.js';
import { adminRequest } from '../helpers/admin-client.js';
import { startRedisServer, type RedisServerHandle } from '../helpers/redis-server.js';
import { credentialsRow, registrarConfig, runRegistrarSipp } from './registrar-fixtures.js';
import { adminProductConfig } from '../helpers/admin-product-config.js';

// Loopback addresses of this file: redis-server 127.5.2.1, instance A 127.5.2.10, instance B
// 127.5.2.20, SIPp device 127.5.2.30, admin client 127.5.2.40.
const TOKEN = 'admin-redis-token-0123456789';

function instance(host: string, redisUrl: string): Config {
  const parsed = parseConfig(registrarConfig(), 'admin-redis.yaml');
  return { ...adminProductConfig(parsed, host, TOKEN), redis: { url: redisUrl } };
}

describe('admin API with the Redis location store: every instance shows the cluster', () => {
  let redis: RedisServerHandle;
  let a: RunningProduct;
  let b: RunningProduct;
  const call = (p: RunningProduct, path: string, method = 'GET') => adminRequest(`${p.adminUrl!}/api/v1${path}`, { method, token: TOKEN, localAddress: '127.5.2.40' });

  beforeAll(async () => {
    redis = await startRedisServer({ host: '127.5.2.1' });
    a = await runProduct(instance('127.5.2.10', redis.url), pino({ level: 'silent' }), { nonceSecret: 'one-nonce-secret-for-both' });
    b = await runProduct(instance('127.5.2.20', redis.url), pino({ level: 'silent' }), { nonceSecret: 'one-nonce-secret-for-both' });
    await Promise.all([a.connected, b.connected]);
  });

  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await redis?.stop();
  });

  it('a SIPp device registered through instance A is listed by instance B, and unregistered through B it is gone for A', async () => {
    const sipp = await runRegistrarSipp({ scenario: 'register-md5', target: '127.5.2.10:5060', ip: '127.5.2.30', rows: [credentialsRow('113', 'test113')] });
    expect(sipp.successful, sipp.errors || sipp.stderr).toBe(1);
    const listed = await call(b, '/registrations?extension=113');
    expect(listed.status).toBe(200);
    expect(listed.json).toMatchObject({
      registrations: [{ tenant: 'demo', extension: '113', deviceUser: '113', contacts: [{ source: { address: '127.5.2.30', port: 5070, transport: 'udp' }, userAgent: 'SIPp registrar test' }] }],
    });
    expect((await call(b, '/registrations/demo/113/113', 'DELETE')).json).toEqual({ removed: 1 });
    expect(await a.ctx.registrar.contactsOf('demo', '113')).toEqual([]);
    expect((await call(a, '/registrations?extension=113')).json).toEqual({ registrations: [] });
  });
});
