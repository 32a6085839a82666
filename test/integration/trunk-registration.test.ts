import { afterAll, describe, expect, it } from 'vitest';
import { startProduct, type Product } from '../helpers/product-harness.js';
import { startRedisServer, type RedisServerHandle } from '../helpers/redis-server.js';
import { runSipp, sippStartDelay } from '../helpers/sipp.js';
import { SBC_PORT, callsConfig, expectSipp } from './calls-support.js';

// Outbound registration of a trunk (`register: true`) to a SIPp registrar that challenges every
// REGISTER; two instances on one Redis, only one registers. Addresses: engines 127.3.1.1/.2,
// registrar (the secondary trunk's host) 127.3.1.52.
const REGISTRAR = '127.3.1.52';
let redis: RedisServerHandle | undefined;
const products: Product[] = [];

afterAll(async () => {
  for (const p of products) await p.stop();
  await redis?.stop();
});

function config(): string {
  const text = callsConfig({ sbcHosts: ['127.3.1.51', REGISTRAR], secondaryCredentials: { username: 'acct77', password: 'reg-secret' } });
  const anchor = '        credentials: { username: acct77, password: reg-secret }\n';
  if (!text.includes(anchor)) throw new Error('calls config changed: no secondary credentials');
  return text.replace(anchor, `${anchor}        register: true\n`);
}

const registration = (p: Product) => p.services.registrations.all().find((r) => r.trunk === 'bellsecondarysbc')!;

async function until(what: string, test: () => boolean, ms = 8000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('outbound registration to a carrier (DOMAIN §6)', () => {
  it('registers through a 401 challenge, refreshes within the 2 s the registrar granted, and unREGISTERs on stop; of two instances on one Redis only one registers', async () => {
    redis = await startRedisServer();
    const registrar = runSipp({ scenario: 'trunks/registrar-challenge-refresh-unregister.xml', ip: REGISTRAR, port: SBC_PORT, calls: 1, timeoutSec: 15 });
    await sippStartDelay();
    const a = await startProduct({ sipHost: '127.3.1.1', configText: config(), redisUrl: redis.url });
    products.push(a);
    const b = await startProduct({ sipHost: '127.3.1.2', configText: config(), redisUrl: redis.url });
    products.push(b);
    await until('a registration', () => [a, b].some((p) => registration(p).state === 'registered'));
    const holder = registration(a).state === 'registered' ? a : b;
    const standby = holder === a ? b : a;
    expect(registration(standby).state).toBe('standby');
    // the first grant was 2 s: the refresh is granted 60 s
    await until('the refresh', () => (registration(holder).expiresAt ?? 0) - Date.now() > 30_000, 5000);
    expect(registration(holder)).toMatchObject({ state: 'registered', failures: 0, lastStatus: 200 });
    expect(registration(standby).state).toBe('standby');
    // the standby stops first (nothing to unregister), then the holder sends Expires: 0
    await standby.stop();
    products.splice(products.indexOf(standby), 1);
    const regs = holder.services.registrations; // kept after stop() to see the final state
    await holder.stop();
    products.splice(products.indexOf(holder), 1);
    expect(regs.all().find((r) => r.trunk === 'bellsecondarysbc')?.state).toBe('stopped');
    expectSipp(await registrar.done, 1, 'registrar (challenge, refresh, unREGISTER)');
  });
});
