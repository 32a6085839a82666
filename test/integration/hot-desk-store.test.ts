import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryHotDeskStore, RedisHotDeskStore, type HotDeskStore } from '../../src/store/hot-desk-store.js';
import { useRedisServer } from '../helpers/redis-server.js';

// One contract for both adapters of the hot-desk session store (DOMAIN §1).
const server = useRedisServer(beforeAll, afterAll);
let n = 0;
const tenant = (): string => `t${++n}-${Date.now()}`;

function contract(name: string, make: () => HotDeskStore, expire: (s: HotDeskStore) => Promise<void>): void {
  describe(`hot-desk store contract: ${name}`, () => {
    it('one guest per phone and one phone per guest: a login elsewhere ends the previous session', async () => {
      const s = make();
      const t = tenant();
      await s.login(t, '103', '222', 3600);
      expect(await s.guestOn(t, '103')).toBe('222');
      expect(await s.phoneOf(t, '222')).toBe('103');
      await s.login(t, '100_2', '222', 3600);
      expect(await s.guestOn(t, '103')).toBeUndefined();
      expect(await s.phoneOf(t, '222')).toBe('100_2');
      await s.login(t, '100_2', '223', 3600);
      expect(await s.phoneOf(t, '222')).toBeUndefined();
      expect((await s.list(t)).map((x) => `${x.phone}:${x.guest}`)).toEqual(['100_2:223']);
      expect(await s.guestOn(tenant(), '100_2')).toBeUndefined();
      await s.close();
    });

    it('logout from the phone or of the guest ends both sides', async () => {
      const s = make();
      const t = tenant();
      await s.login(t, '103', '222', 3600);
      expect(await s.logoutPhone(t, '103')).toBe('222');
      expect(await s.phoneOf(t, '222')).toBeUndefined();
      expect(await s.logoutPhone(t, '103')).toBeUndefined();
      await s.login(t, '103', '222', 3600);
      await s.logoutGuest(t, '222');
      expect(await s.guestOn(t, '103')).toBeUndefined();
      await s.close();
    });

    it('a session expires on its own', async () => {
      const s = make();
      const t = tenant();
      await s.login(t, '103', '222', 1);
      await expire(s);
      expect(await s.guestOn(t, '103')).toBeUndefined();
      expect(await s.phoneOf(t, '222')).toBeUndefined();
      await s.close();
    });
  });
}

let clock = Date.now();
contract(
  'memory',
  () => new MemoryHotDeskStore(() => clock),
  async () => {
    clock += 1001;
  },
);
contract(
  'redis',
  () => new RedisHotDeskStore({ redis: { url: server().url } }),
  () => new Promise((r) => setTimeout(r, 1300)),
);

describe('hot-desk store in Redis', () => {
  it('every instance sees the same sessions, and a restart keeps them', async () => {
    const t = tenant();
    const a = new RedisHotDeskStore({ redis: { url: server().url } });
    await a.login(t, '103', '222', 3600);
    await a.close();
    const b = new RedisHotDeskStore({ redis: { url: server().url } });
    expect(await b.guestOn(t, '103')).toBe('222');
    const [session] = await b.list(t);
    expect(session).toMatchObject({ tenant: t, phone: '103', guest: '222' });
    expect(session!.expiresAt).toBeGreaterThan(Date.now() + 3500_000);
    await b.close();
  });
});
