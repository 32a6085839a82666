import { afterEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import type Srf from 'drachtio-srf';
import { TrunkRegistrations } from '../../../src/app/trunks/registrations.js';
import { MemoryLeaseStore } from '../../../src/store/lease-store.js';
import { until } from '../../helpers/poll.js';
import { tenantWith, trunk } from './trunk-fixtures.js';

const registering = (name: string, host: string, username: string) => trunk(name, host, { register: { expires: 600, username, password: 'pw' } });
const tenant = (...trunks: ReturnType<typeof trunk>[]) => tenantWith('demo', ...trunks);

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

describe('trunk registrations following the configuration', () => {
  let regs: TrunkRegistrations | undefined;
  afterEach(async () => {
    await regs?.stop();
  });

  it('a trunk added later registers; one removed unREGISTERs (Expires: 0); an unchanged one is left alone', async () => {
    const seen: string[] = [];
    regs = new TrunkRegistrations(registrarSrf(seen), [tenant(registering('a', '127.0.0.1', 'acct1'))], new MemoryLeaseStore(), pino({ level: 'silent' }));
    regs.start();
    await until('a registered', () => regs!.all().some((r) => r.trunk === 'a' && r.state === 'registered'));
    await regs.follow([tenant(registering('a', '127.0.0.1', 'acct1'), registering('b', '127.0.0.2', 'acct2'))]);
    await until('b registered', () => regs!.all().some((r) => r.trunk === 'b' && r.state === 'registered'));
    await regs.follow([tenant(registering('b', '127.0.0.2', 'acct2'))]);
    expect(regs.all().map((r) => r.trunk)).toEqual(['b']);
    expect(seen).toEqual([
      '<sip:acct1@127.0.0.1:5060> 600 via sip:127.0.0.1:5060;transport=udp',
      '<sip:acct2@127.0.0.2:5060> 600 via sip:127.0.0.2:5060;transport=udp',
      '<sip:acct1@127.0.0.1:5060> 0 via sip:127.0.0.1:5060;transport=udp',
    ]);
  });

  it('a changed user or target unREGISTERs the old registration before the new one registers', async () => {
    const seen: string[] = [];
    regs = new TrunkRegistrations(registrarSrf(seen), [tenant(registering('a', '127.0.0.1', 'acct1'))], new MemoryLeaseStore(), pino({ level: 'silent' }));
    regs.start();
    await until('a registered', () => regs!.all().some((r) => r.state === 'registered'));
    await regs.follow([tenant(registering('a', '127.0.0.9', 'acct9'))]);
    await until('the new a registered', () => seen.length === 3 && regs!.all()[0]?.state === 'registered');
    expect(seen.slice(1)).toEqual(['<sip:acct1@127.0.0.1:5060> 0 via sip:127.0.0.1:5060;transport=udp', '<sip:acct9@127.0.0.9:5060> 600 via sip:127.0.0.9:5060;transport=udp']);
  });

  it('before start, following a configuration registers nothing yet', async () => {
    const seen: string[] = [];
    regs = new TrunkRegistrations(registrarSrf(seen), [], new MemoryLeaseStore(), pino({ level: 'silent' }));
    await regs.follow([tenant(registering('a', '127.0.0.1', 'acct1'))]);
    await new Promise((r) => setTimeout(r, 50));
    expect(seen).toEqual([]);
    expect(regs.all()).toMatchObject([{ trunk: 'a', state: 'idle' }]);
  });
});
