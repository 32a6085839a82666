import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProduct, type Product } from '../helpers/product-harness.js';
import { credentialsRow, registrarConfig, runRegistrarSipp } from './registrar-fixtures.js';

// Engine address 127.0.0.124; the guesser is 127.0.0.100, the honest phone 127.0.0.101,
// the trunk address trusted by the test configuration (127.0.0.103) is never banned.
let p: Product;

beforeAll(async () => {
  p = await startProduct({ sipHost: '127.0.0.124', configText: registrarConfig({ maxFailures: 3 }) });
});
afterAll(async () => {
  await p?.stop();
});

describe('password-guessing protection', () => {
  it('after N wrong passwords a source is refused with 403 and no challenge, while a correct device elsewhere keeps registering', async () => {
    const guesses = ['guess1', 'guess2', 'guess3'].map((pw) => credentialsRow('110', pw));
    const guessing = await runRegistrarSipp({ scenario: 'register-refused-after-challenge', target: p.target, ip: '127.0.0.100', rows: guesses });
    expect(guessing, guessing.errors).toMatchObject({ code: 0, successful: 3, failed: 0 });
    expect(p.ctx.bans.isBanned('127.0.0.100')).toBe(true);

    // now even the right password from that address gets no challenge
    const blocked = await runRegistrarSipp({
      scenario: 'register-refused-without-challenge',
      target: p.target,
      ip: '127.0.0.100',
      rows: [credentialsRow('110', 'test110'), credentialsRow('111', 'test111')],
    });
    expect(blocked, blocked.errors).toMatchObject({ code: 0, successful: 2, failed: 0 });

    const honest = await runRegistrarSipp({ scenario: 'register-md5', target: p.target, ip: '127.0.0.101', rows: [credentialsRow('111', 'test111'), credentialsRow('110', 'test110')] });
    expect(honest, honest.errors).toMatchObject({ code: 0, successful: 2, failed: 0 });
    expect(p.ctx.bans.isBanned('127.0.0.101')).toBe(false);
    const bound = await p.ctx.registrar.contactsOf('demo', '110');
    expect(bound.map((b) => b.source.address)).toEqual(['127.0.0.101']);
  });

  it('an over-limit shared device with the right password is refused but does not count as guessing', async () => {
    const rows = Array.from({ length: 4 }, () => credentialsRow('100_4', 'demo100'));
    const r = await runRegistrarSipp({ scenario: 'register-refused-after-challenge', target: p.target, ip: '127.0.0.102', rows });
    expect(r, r.errors).toMatchObject({ code: 0, successful: 4, failed: 0 });
    expect(p.ctx.bans.isBanned('127.0.0.102')).toBe(false);
  });

  it('a trusted trunk address is never banned, however many wrong passwords it sends', async () => {
    const rows = Array.from({ length: 4 }, (_, i) => credentialsRow('112', `wrong${i}`));
    const r = await runRegistrarSipp({ scenario: 'register-refused-after-challenge', target: p.target, ip: '127.0.0.103', rows });
    expect(r, r.errors).toMatchObject({ code: 0, successful: 4, failed: 0 });
    expect(p.ctx.bans.isBanned('127.0.0.103')).toBe(false);
  });
});
