import { describe, expect, it } from 'vitest';
import { BanList, isCredentialFailure } from '../../../src/app/auth/ban-list.js';
import { FakeClock } from './helpers.js';

function setup() {
  const clock = new FakeClock();
  const bans = new BanList({ clock, trusted: ['192.0.2.10', '198.51.100.0/24'] });
  return { clock, bans };
}

describe('guessing protection', () => {
  it('bans an address after 10 failures within 60 s while another address still works', () => {
    const { bans } = setup();
    for (let i = 1; i <= 9; i++) expect(bans.recordFailure('203.0.113.5').bannedNow).toBe(false);
    expect(bans.isBanned('203.0.113.5')).toBe(false);
    expect(bans.recordFailure('203.0.113.5')).toEqual({ bannedNow: true, failures: 10 });
    expect(bans.isBanned('203.0.113.5')).toBe(true);
    expect(bans.isBanned('203.0.113.6')).toBe(false);
  });

  it('failures spread beyond the window do not ban', () => {
    const { bans, clock } = setup();
    for (let i = 0; i < 30; i++) {
      bans.recordFailure('203.0.113.5');
      clock.advance(7_000);
    }
    expect(bans.isBanned('203.0.113.5')).toBe(false);
  });

  it('the ban expires after 600 s (injected clock)', () => {
    const { bans, clock } = setup();
    for (let i = 0; i < 10; i++) bans.recordFailure('203.0.113.5');
    clock.advance(599_999);
    expect(bans.isBanned('203.0.113.5')).toBe(true);
    clock.advance(1);
    expect(bans.isBanned('203.0.113.5')).toBe(false);
    expect(bans.list()).toEqual([]);
  });

  it('trusted addresses and subnets are never banned', () => {
    const { bans } = setup();
    for (let i = 0; i < 50; i++) {
      bans.recordFailure('192.0.2.10');
      bans.recordFailure('198.51.100.77');
    }
    expect(bans.isBanned('192.0.2.10')).toBe(false);
    expect(bans.isBanned('198.51.100.77')).toBe(false);
  });

  it('replacing the trusted addresses (a reload) trusts the new ones and no longer the old ones', () => {
    const { bans } = setup();
    bans.replaceTrusted(['203.0.113.0/28']);
    expect(bans.isTrusted('203.0.113.9')).toBe(true);
    expect(bans.isTrusted('192.0.2.10')).toBe(false);
    expect(bans.isTrusted('198.51.100.77')).toBe(false);
    for (let i = 0; i < 50; i++) bans.recordFailure('192.0.2.10');
    expect(bans.isBanned('192.0.2.10')).toBe(true);
  });

  it('a ban is reported once through onBan', () => {
    const clock = new FakeClock();
    const seen: string[] = [];
    const bans = new BanList({ clock, onBan: (e) => seen.push(`${e.address}:${e.failures}`) });
    for (let i = 0; i < 12; i++) bans.recordFailure('203.0.113.5');
    expect(seen).toEqual(['203.0.113.5:10']);
  });

  it('bans can be listed and lifted', () => {
    const { bans, clock } = setup();
    for (let i = 0; i < 10; i++) bans.recordFailure('203.0.113.5');
    expect(bans.list()).toEqual([{ address: '203.0.113.5', bannedAt: clock.t, until: clock.t + 600_000, failures: 10 }]);
    expect(bans.lift('203.0.113.5')).toBe(true);
    expect(bans.isBanned('203.0.113.5')).toBe(false);
    expect(bans.lift('203.0.113.5')).toBe(false);
  });

  it('IPv4-mapped IPv6 addresses count as the IPv4 address', () => {
    const { bans } = setup();
    for (let i = 0; i < 10; i++) bans.recordFailure('::ffff:203.0.113.5');
    expect(bans.isBanned('203.0.113.5')).toBe(true);
  });

  it('memory stays bounded under a spray of addresses', () => {
    const clock = new FakeClock();
    const bans = new BanList({ clock, maxTrackedAddresses: 100, maxBans: 10, maxFailures: 1 });
    for (let i = 0; i < 1000; i++) bans.recordFailure(`10.0.${i >> 8}.${i & 255}`);
    expect(bans.list().length).toBe(10);
  });

  it('only wrong passwords and unknown users count as failures', () => {
    expect(isCredentialFailure({ kind: 'forbidden', reason: 'wrong-password' })).toBe(true);
    expect(isCredentialFailure({ kind: 'forbidden', reason: 'unknown-user' })).toBe(true);
    for (const reason of ['device-over-limit', 'replay', 'realm-mismatch', 'bad-request'] as const) {
      expect(isCredentialFailure({ kind: 'forbidden', reason })).toBe(false);
    }
    expect(isCredentialFailure({ kind: 'challenge', stale: false })).toBe(false);
  });

  it('challenges never count: recordResult ignores them', () => {
    const { bans } = setup();
    for (let i = 0; i < 20; i++) expect(bans.recordResult('203.0.113.9', { kind: 'challenge', stale: false })).toBeUndefined();
    expect(bans.isBanned('203.0.113.9')).toBe(false);
  });
});
