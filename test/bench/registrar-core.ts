/**
 * Throughput of the SIP-independent registrar core: digest verification (MD5, SHA-256) and
 * REGISTER processing against the memory and Redis location stores. Run alone with
 * `npx tsx test/bench/registrar-core.ts [--short]`.
 */
import { createHash } from 'node:crypto';
import { DigestAuthenticator } from '../../src/app/auth/digest-authenticator.js';
import { Registrar } from '../../src/app/registrar/registrar.js';
import type { RegisterFacts } from '../../src/app/registrar/register-decision.js';
import { MemoryLocationStore } from '../../src/store/memory.js';
import { RedisLocationStore } from '../../src/store/redis.js';
import type { LocationStore } from '../../src/store/location-store.js';
import { startRedisServer } from '../helpers/redis-server.js';
import { runIfMain } from './run-if-main.js';

const REALM = 'bench.example';
const PASSWORD = 'secret-pw';

function hex(alg: 'md5' | 'sha256', s: string): string {
  return createHash(alg).update(s).digest('hex');
}

function clientHeader(alg: 'MD5' | 'SHA-256', username: string, nonce: string, nc: number): string {
  const a = alg === 'MD5' ? 'md5' : 'sha256';
  const ncHex = nc.toString(16).padStart(8, '0');
  const cnonce = `cn${nc}`;
  const uri = `sip:${REALM}`;
  const resp = hex(a, `${hex(a, `${username}:${REALM}:${PASSWORD}`)}:${nonce}:${ncHex}:${cnonce}:auth:${hex(a, `REGISTER:${uri}`)}`);
  return `Digest username="${username}", realm="${REALM}", nonce="${nonce}", uri="${uri}", response="${resp}", algorithm=${alg}, qop=auth, nc=${ncHex}, cnonce="${cnonce}"`;
}

function benchDigest(alg: 'MD5' | 'SHA-256', n: number): { perSecond: number; cpuMicros: number } {
  const auth = new DigestAuthenticator({
    secrets: ['bench'],
    credentials: () => ({ password: PASSWORD, sharedDevices: 3 }),
    maxTrackedNonces: n + 1,
  });
  // Each request answers its own fresh challenge, as a phone's REGISTER would.
  const headers: string[] = [];
  for (let i = 0; i < n; i++) {
    const nonce = /nonce="([^"]+)"/.exec(auth.challenge('REGISTER', REALM).values[0]!)![1]!;
    headers.push(clientHeader(alg, `${200 + (i % 500)}`, nonce, 1));
  }
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (const h of headers) {
    const r = auth.verify({ method: 'REGISTER', realm: REALM, credentials: h });
    if (r.kind !== 'ok') throw new Error(`bench verify failed: ${JSON.stringify(r)}`);
  }
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { perSecond: Math.round((n / ms) * 1000), cpuMicros: round2((cpu.user + cpu.system) / n) };
}

function benchChallenge(n: number): number {
  const auth = new DigestAuthenticator({ secrets: ['bench'], credentials: () => undefined });
  const t0 = performance.now();
  for (let i = 0; i < n; i++) auth.challenge('REGISTER', REALM);
  return Math.round((n / (performance.now() - t0)) * 1000);
}

function facts(i: number, devices: number, round: number): RegisterFacts {
  const d = i % devices;
  const ext = String(1000 + (d >> 1));
  const deviceUser = d % 2 === 0 ? ext : `${ext}_2`;
  return {
    tenant: 'bench',
    extension: ext,
    deviceUser,
    contacts: [`<sip:${deviceUser}@10.${(d >> 16) & 255}.${(d >> 8) & 255}.${d & 255}:5060;transport=udp>`],
    expires: '3600',
    callId: `call-${d}`,
    cseq: round + 1,
    source: { address: '203.0.113.9', port: 40000 + (d % 20000), transport: 'udp' },
    userAgent: 'bench/1.0',
  };
}

let cseqEpoch = 0;

/** REGISTERs with `concurrency` in flight; every device refreshes once per round. */
async function benchRegister(store: LocationStore, n: number, concurrency: number): Promise<{ perSecond: number; cpuMicros: number; p99Ms: number }> {
  const registrar = new Registrar({ store });
  const cseqBase = (cseqEpoch += 1_000_000);
  const devices = Math.min(5_000, n);
  let next = 0;
  const lat: number[] = [];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const s = performance.now();
      const out = await registrar.register(facts(i, devices, cseqBase + Math.floor(i / devices)));
      lat.push(performance.now() - s);
      if (out.kind !== 'ok') throw new Error(`bench register failed: ${JSON.stringify(out)}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  lat.sort((a, b) => a - b);
  return {
    perSecond: Math.round((n / ms) * 1000),
    cpuMicros: round2((cpu.user + cpu.system) / n),
    p99Ms: round2(lat[Math.floor(lat.length * 0.99)] ?? 0),
  };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

export async function benchRegistrarCore(opts: { short: boolean }): Promise<{ name: string; figures: Record<string, number | string> }> {
  const nDigest = opts.short ? 5_000 : 50_000;
  const nReg = opts.short ? 5_000 : 50_000;
  const figures: Record<string, number | string> = {};

  benchDigest('MD5', 1_000); // warm-up
  const md5 = benchDigest('MD5', nDigest);
  const sha = benchDigest('SHA-256', nDigest);
  figures['digest MD5 verifications/s'] = md5.perSecond;
  figures['digest MD5 CPU µs/verification'] = md5.cpuMicros;
  figures['digest SHA-256 verifications/s'] = sha.perSecond;
  figures['digest SHA-256 CPU µs/verification'] = sha.cpuMicros;
  figures['challenges/s'] = benchChallenge(nDigest);

  const mem = new MemoryLocationStore({ sweepIntervalMs: 0 });
  await benchRegister(mem, 1_000, 1);
  const m = await benchRegister(mem, nReg, 1);
  await mem.close();
  figures['memory-store REGISTER ops/s'] = m.perSecond;
  figures['memory-store CPU µs/REGISTER'] = m.cpuMicros;

  let server: Awaited<ReturnType<typeof startRedisServer>> | undefined;
  try {
    server = await startRedisServer();
    const redis = new RedisLocationStore({ redis: { url: server.url } });
    await benchRegister(redis, 1_000, 16);
    const r = await benchRegister(redis, nReg, 64);
    figures['redis-store REGISTER ops/s (64 in flight)'] = r.perSecond;
    figures['redis-store app CPU µs/REGISTER'] = r.cpuMicros;
    figures['redis-store p99 ms'] = r.p99Ms;
    await redis.close();
  } catch (err) {
    figures['redis-store REGISTER ops/s (64 in flight)'] = `skipped: ${err instanceof Error ? err.message : String(err)}`;
  } finally {
    await server?.stop();
  }
  return { name: 'registrar core (auth + registrar + location store, no SIP)', figures };
}

runIfMain(import.meta.url, benchRegistrarCore);
