import { afterEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import type Srf from 'drachtio-srf';
import type { Tenant, Trunk } from '../../../src/domain/index.js';
import { TrunkRegistrations } from '../../../src/app/trunks/registrations.js';
import { MemoryLeaseStore } from '../../../src/store/lease-store.js';

function trunk(name: string, host: string, username?: string): Trunk {
  return {
    name,
    host,
    port: 5060,
    transport: 'udp',
    trustedAddresses: [],
    trustDomain: false,
    failoverOn: [],
    noFailoverOn: [],
    firstResponseTimeoutMs: 1000,
    ...(username !== undefined && { register: { expires: 600, username, password: 'pw' } }),
  };
}

// TrunkRegistrations reads only a tenant's name and trunks
const tenant = (...trunks: Trunk[]): Tenant => ({ name: 'demo', trunks: new Map(trunks.map((t) => [t.name, t])) }) as unknown as Tenant;

/** A registrar that accepts every REGISTER for the Expires asked; records `to-uri expires`. */
function registrarSrf(seen: string[]): Srf {
  return {
    request(uri: string, opts: { headers: Record<string, string> }, cb: (err: unknown, req: unknown) => void) {
      seen.push(`${opts.headers.To} ${opts.headers.Expires} via ${uri}`);
      const expires = opts.headers.Expires!;
      cb(null, { on: (_e: string, l: (r: { status: number; get(n: string): string | undefined }) => void) => l({ status: 200, get: (n) => (n === 'Expires' ? expires : undefined) }) });
    },
  } as unknown as Srf;
}

async function until(what: string, test: () => boolean): Promise<void> {
  const deadline = Date.now() + 3000;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('trunk registrations following the configuration', () => {
  let regs: TrunkRegistrations | undefined;
  afterEach(async () => {
    await regs?.stop();
  });

  it('a trunk added later registers; one removed unREGISTERs (Expires: 0); an unchanged one is left alone', async () => {
    const seen: string[] = [];
    regs = new TrunkRegistrations(registrarSrf(seen), [tenant(trunk('a', '127.0.0.1', 'acct1'))], new MemoryLeaseStore(), pino({ level: 'silent' }));
    regs.start();
    await until('a registered', () => regs!.all().some((r) => r.trunk === 'a' && r.state === 'registered'));
    await regs.follow([tenant(trunk('a', '127.0.0.1', 'acct1'), trunk('b', '127.0.0.2', 'acct2'))]);
    await until('b registered', () => regs!.all().some((r) => r.trunk === 'b' && r.state === 'registered'));
    await regs.follow([tenant(trunk('b', '127.0.0.2', 'acct2'))]);
    expect(regs.all().map((r) => r.trunk)).toEqual(['b']);
    expect(seen).toEqual([
      '<sip:acct1@127.0.0.1:5060> 600 via sip:127.0.0.1:5060;transport=udp',
      '<sip:acct2@127.0.0.2:5060> 600 via sip:127.0.0.2:5060;transport=udp',
      '<sip:acct1@127.0.0.1:5060> 0 via sip:127.0.0.1:5060;transport=udp',
    ]);
  });

  it('a changed user or target unREGISTERs the old registration before the new one registers', async () => {
    const seen: string[] = [];
    regs = new TrunkRegistrations(registrarSrf(seen), [tenant(trunk('a', '127.0.0.1', 'acct1'))], new MemoryLeaseStore(), pino({ level: 'silent' }));
    regs.start();
    await until('a registered', () => regs!.all().some((r) => r.state === 'registered'));
    await regs.follow([tenant(trunk('a', '127.0.0.9', 'acct9'))]);
    await until('the new a registered', () => seen.length === 3 && regs!.all()[0]?.state === 'registered');
    expect(seen.slice(1)).toEqual(['<sip:acct1@127.0.0.1:5060> 0 via sip:127.0.0.1:5060;transport=udp', '<sip:acct9@127.0.0.9:5060> 600 via sip:127.0.0.9:5060;transport=udp']);
  });

  it('before start, following a configuration registers nothing yet', async () => {
    const seen: string[] = [];
    regs = new TrunkRegistrations(registrarSrf(seen), [], new MemoryLeaseStore(), pino({ level: 'silent' }));
    await regs.follow([tenant(trunk('a', '127.0.0.1', 'acct1'))]);
    await new Promise((r) => setTimeout(r, 50));
    expect(seen).toEqual([]);
    expect(regs.all()).toMatchObject([{ trunk: 'a', state: 'idle' }]);
  });
});
