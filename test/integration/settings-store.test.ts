import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySettingsStore, RedisSettingsStore, type SettingsStore } from '../../src/store/settings-store.js';
import { startRedisServer, type RedisServerHandle } from '../helpers/redis-server.js';

// One contract for both adapters of the settings store (DND, *72 forwards, night mode).
let server: RedisServerHandle;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server?.stop();
});

let n = 0;
const tenant = (): string => `t${++n}-${Date.now()}`;

function contract(name: string, make: () => SettingsStore): void {
  describe(`settings store contract: ${name}`, () => {
    it('an extension starts with nothing set; DND and a forward are kept independently; clearing one keeps the other', async () => {
      const s = make();
      const t = tenant();
      expect(await s.get(t, '101')).toEqual({ dnd: false });
      expect(await s.update(t, '101', { forwardTo: '19055551234' })).toEqual({ dnd: false, forwardTo: '19055551234' });
      expect(await s.update(t, '101', { dnd: true })).toEqual({ dnd: true, forwardTo: '19055551234' });
      expect(await s.update(t, '101', { forwardTo: null })).toEqual({ dnd: true });
      expect(await s.get(t, '101')).toEqual({ dnd: true });
      expect(await s.get(t, '100')).toEqual({ dnd: false });
      await s.close();
    });

    it("a mailbox's own greeting is kept beside DND and a forward, and cleared alone", async () => {
      const s = make();
      const t = tenant();
      expect(await s.update(t, '101', { voicemailGreeting: '/vm/demo/101/greeting-1.wav' })).toEqual({ dnd: false, voicemailGreeting: '/vm/demo/101/greeting-1.wav' });
      expect(await s.update(t, '101', { dnd: true })).toEqual({ dnd: true, voicemailGreeting: '/vm/demo/101/greeting-1.wav' });
      expect(await s.update(t, '101', { voicemailGreeting: '/vm/demo/101/greeting-2.wav' })).toEqual({ dnd: true, voicemailGreeting: '/vm/demo/101/greeting-2.wav' });
      expect(await s.update(t, '101', { voicemailGreeting: null, dnd: false })).toEqual({ dnd: false });
      expect(await s.get(t, '101')).toEqual({ dnd: false });
      await s.close();
    });

    it('night mode toggles per tenant', async () => {
      const s = make();
      const [t1, t2] = [tenant(), tenant()];
      expect(await s.getTenant(t1)).toEqual({ nightMode: false });
      expect(await s.toggleNightMode(t1)).toEqual({ nightMode: true });
      expect(await s.getTenant(t2)).toEqual({ nightMode: false });
      expect(await s.toggleNightMode(t1)).toEqual({ nightMode: false });
      await s.close();
    });
  });
}

contract('memory', () => new MemorySettingsStore());
contract('redis', () => new RedisSettingsStore({ redis: { url: server.url } }));

describe('redis settings store across instances', () => {
  it('a setting written by one instance is read by another; a restart keeps it; concurrent toggles are never lost', async () => {
    const t = tenant();
    const a = new RedisSettingsStore({ redis: { url: server.url } });
    const b = new RedisSettingsStore({ redis: { url: server.url } });
    await a.update(t, '101', { dnd: true, forwardTo: '102' });
    expect(await b.get(t, '101')).toEqual({ dnd: true, forwardTo: '102' });
    await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).toggleNightMode(t)));
    expect(await a.getTenant(t)).toEqual({ nightMode: false });
    await a.close();
    const again = new RedisSettingsStore({ redis: { url: server.url } });
    expect(await again.get(t, '101')).toEqual({ dnd: true, forwardTo: '102' });
    await again.close();
    await b.close();
  });
});
