import { describe, expect, it } from 'vitest';
import { NonceCounter } from '../../../src/app/auth/nonce-counter.js';

function counter(maxEntries: number) {
  const clock = { t: 1_000, now: () => clock.t };
  return { clock, nc: new NonceCounter({ clock, maxEntries }) };
}

describe('NonceCounter (replay protection through nc)', () => {
  it('accepts increasing nc per nonce and refuses a repeated or lower one as a replay', () => {
    const { nc } = counter(10);
    expect(nc.check('n1', 1, 900, 5_000)).toBe('ok');
    expect(nc.check('n1', 2, 900, 5_000)).toBe('ok');
    expect(nc.check('n1', 2, 900, 5_000)).toBe('replay');
    expect(nc.check('n1', 1, 900, 5_000)).toBe('replay');
    expect(nc.check('n2', 1, 950, 5_000)).toBe('ok');
  });

  it('when full, forgets the oldest first use, and an unknown nonce issued before it is not taken as fresh', () => {
    const { nc } = counter(3);
    for (let i = 0; i < 4; i++) expect(nc.check(`n${i}`, 1, 100 + i, 5_000)).toBe('ok');
    expect(nc.size).toBe(3);
    // n0 was forgotten: its replay cannot be told from a first use, so the caller must re-challenge
    expect(nc.check('n0', 1, 100, 5_000)).toBe('unknown');
    expect(nc.check('n1', 1, 101, 5_000)).toBe('replay');
    expect(nc.check('late', 1, 99, 5_000)).toBe('unknown');
    expect(nc.check('n9', 1, 200, 5_000)).toBe('ok');
  });

  it('frees expired entries as new nonces come, without reaching the limit', () => {
    const { nc, clock } = counter(1_000);
    for (let i = 0; i < 100; i++) nc.check(`old${i}`, 1, clock.t, clock.t + 300);
    expect(nc.size).toBe(100);
    clock.t += 301;
    nc.check('new', 1, clock.t, clock.t + 300);
    expect(nc.size).toBe(1);
    // expired entries leave no watermark: an expired nonce is refused by its own expiry check
    expect(nc.check('fresh', 1, clock.t, clock.t + 300)).toBe('ok');
  });
});
