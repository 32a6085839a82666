import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import pino from 'pino';
import { parseConfig, type Config } from '../../src/config/index.js';
import { runProduct, type RunningProduct } from '../../src/ops/run-product.js';
import type { Cdr } from '../../src/ops/cdr/cdr.js';
import { CdrRedisStreamSink } from '../../src/ops/cdr/redis-stream-sink.js';
import { connectRedis } from '../../src/store/redis.js';
import { adminRequest } from '../helpers/admin-client.js';
import { startRedisServer, type RedisServerHandle } from '../helpers/redis-server.js';
import { runSipp, sippStartDelay } from '../helpers/sipp.js';
import { SBC_PORT, callsConfig, deviceRow, expectCdrFields, expectSipp, injection, uas } from './calls-support.js';
import { adminProductConfig } from '../helpers/admin-product-config.js';

// Two product instances on one real redis-server, both writing call records to one stream.
// Loopback addresses of this file: redis-server 127.13.1.1, instance A 127.13.1.10, instance B
// 127.13.1.20, SBCs 127.13.1.51/52 (:5061), caller device 127.13.1.40, admin client 127.13.1.30;
// a second redis-server that goes away: 127.13.1.2.
const TOKEN = 'cdr-stream-token-0123456789';
const SBCS = ['127.13.1.51', '127.13.1.52'] as const;
const STREAM = 'test:cdr:stream';

function instance(host: string, redisUrl: string): Config {
  const parsed = parseConfig(callsConfig({ sbcHosts: SBCS }), 'cdr-redis-stream.yaml');
  return {
    ...adminProductConfig(parsed, host, TOKEN),
    log: { ...parsed.log, level: 'warn' },
    redis: { url: redisUrl },
    cdr: { ...parsed.cdr, stream: { enabled: true, key: STREAM, maxLen: 1000 } },
  };
}

describe('call records to a Redis stream shared by two instances', () => {
  let redis: RedisServerHandle;
  let reader: Redis;
  let a: RunningProduct;
  let b: RunningProduct;
  const api = (p: RunningProduct, path: string, method = 'GET') => adminRequest(`${p.adminUrl!}/api/v1${path}`, { method, token: TOKEN, localAddress: '127.13.1.30' });
  const call = (host: string, scenario: string, deviceUser: string, dialled: string) =>
    runSipp({ scenario: `calls/${scenario}.xml`, target: `${host}:5060`, ip: '127.13.1.40', port: 5060, calls: 1, injectionFile: injection([deviceRow(deviceUser)]), extra: ['-s', dialled] }).done;
  const streamed = async (n: number): Promise<Cdr[]> => {
    let entries: [string, string[]][] = [];
    for (let i = 0; i < 50; i++) {
      entries = await reader.xrange(STREAM, '-', '+');
      if (entries.length >= n) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    return entries.map(([, fields]) => JSON.parse(fields[fields.indexOf('cdr') + 1]!) as Cdr);
  };

  beforeAll(async () => {
    redis = await startRedisServer({ host: '127.13.1.1' });
    reader = new Redis(redis.url, { lazyConnect: false, maxRetriesPerRequest: 2 });
    a = await runProduct(instance('127.13.1.10', redis.url), pino({ level: 'silent' }), { nonceSecret: 'cdr-stream-shared' });
    b = await runProduct(instance('127.13.1.20', redis.url), pino({ level: 'silent' }), { nonceSecret: 'cdr-stream-shared' });
    await Promise.all([a.connected, b.connected]);
  });

  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    reader?.disconnect();
    await redis?.stop();
  });

  it('a refused call through A and a failed-over call through B are both in the one stream, and each instance lists both from it', async () => {
    expectSipp(await call('127.13.1.10', 'device-call-gets-403', '102', '19055551234'), 1, 'caller via A (403)');
    const sbc1 = uas('sbc-503', SBCS[0], SBC_PORT);
    const sbc2 = uas('sbc-answer-expects-plus-19055551234', SBCS[1], SBC_PORT);
    await sippStartDelay();
    const [c, s1, s2] = await Promise.all([call('127.13.1.20', 'device-call-answered-then-hang-up', '100', '19055551234'), sbc1.done, sbc2.done]);
    expectSipp(c, 1, 'caller via B');
    expectSipp(s1, 1, 'primary (503)');
    expectSipp(s2, 1, 'secondary');

    const entries = await streamed(2);
    expect(entries).toHaveLength(2);
    entries.forEach(expectCdrFields);
    expect(entries[0]).toMatchObject({ caller: '102', device: '102', dialled: '19055551234', action: 'reject', finalStatus: 403, instance: expect.stringContaining('127.13.1.10:5060') });
    expect(entries[1]).toMatchObject({
      caller: '100',
      dialled: '19055551234',
      finalStatus: 200,
      instance: expect.stringContaining('127.13.1.20:5060'),
      trunks: ['bellprimarysbc', 'bellsecondarysbc'],
      attempts: [
        { target: 'bellprimarysbc', outcome: 503 },
        { target: 'bellsecondarysbc', outcome: 200 },
      ],
    });

    for (const p of [a, b]) {
      const r = await api(p, '/cdrs?limit=10');
      expect(r.status, r.text).toBe(200);
      const body = r.json as { source: string; cdrs: Cdr[] };
      expect(body.source).toBe('redis-stream');
      expect(body.cdrs.map((x) => x.callId)).toEqual([entries[1]!.callId, entries[0]!.callId]); // newest first
    }
    expect(((await api(a, '/cdrs?limit=1')).json as { cdrs: Cdr[] }).cdrs).toHaveLength(1);
    expect((await api(a, '/cdrs?limit=0')).status).toBe(400);
  });

  it('a trunk taken out of service through A is skipped by the next call through B', async () => {
    expect((await api(a, '/trunks/demo/bellprimarysbc/out-of-service', 'POST')).status).toBe(200);
    try {
      const onB = (await api(b, '/trunks')).json as { trunks: { trunk: string; inService: boolean }[] };
      expect(onB.trunks.find((t) => t.trunk === 'bellprimarysbc')).toMatchObject({ inService: false });
      const sbc2 = uas('sbc-answer-expects-plus-19055551234', SBCS[1], SBC_PORT);
      await sippStartDelay();
      const [c, s2] = await Promise.all([call('127.13.1.20', 'device-call-answered-then-hang-up', '100', '19055551234'), sbc2.done]);
      expectSipp(c, 1, 'caller via B');
      expectSipp(s2, 1, 'secondary');
      const last = (await streamed(3)).at(-1)!;
      expect(last).toMatchObject({
        attempts: [
          { target: 'bellprimarysbc', outcome: 'out-of-service' },
          { target: 'bellsecondarysbc', outcome: 200 },
        ],
      });
    } finally {
      expect((await api(b, '/trunks/demo/bellprimarysbc/in-service', 'POST')).status).toBe(200);
    }
    const onA = (await api(a, '/trunks')).json as { trunks: { trunk: string; inService: boolean }[] };
    expect(onA.trunks.every((t) => t.inService)).toBe(true);
  });

  it('when Redis goes away, writes neither throw nor wait for it, and the failure is logged once for the whole burst', async () => {
    const lost = await startRedisServer({ host: '127.13.1.2' });
    const lines: { msg: string; level: number }[] = [];
    const log = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s) as { msg: string; level: number }) });
    const sink = new CdrRedisStreamSink(connectRedis({ url: lost.url }), STREAM, 1000, log);
    const cdr = (n: number): Cdr => ({ callId: `outage-${n}`, direction: 'device', caller: '100', dialled: '101', attempts: [], trunks: [], startedAt: new Date().toISOString(), durationSeconds: 0 });
    try {
      sink.write(cdr(0));
      await sink.flush();
      expect((await sink.recent(1))[0]).toMatchObject({ callId: 'outage-0' });
      await lost.stop();
      const started = Date.now();
      for (let i = 1; i <= 3; i++) sink.write(cdr(i));
      expect(Date.now() - started).toBeLessThan(100); // queued, not awaited
      await sink.flush();
      expect(lines.filter((l) => /Redis stream .* failing/.test(l.msg))).toHaveLength(1);
    } finally {
      await sink.close();
    }
  });
});
