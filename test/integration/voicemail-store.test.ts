import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countsOf, MemoryVoicemailStore, RedisVoicemailStore, type VoicemailStore } from '../../src/store/voicemail-store.js';
import { startRedisServer, type RedisServerHandle } from '../helpers/redis-server.js';

// One contract for both adapters of the voicemail index; redis-server on 127.7.0.9.
let server: RedisServerHandle;
beforeAll(async () => {
  server = await startRedisServer({ host: '127.7.0.9' });
});
afterAll(async () => {
  await server?.stop();
});

let n = 0;
const tenant = (): string => `vm${++n}-${Date.now()}`;
const msg = (id: string, receivedAt: number) => ({ id, caller: '4165550100', receivedAt, durationMs: 2040, file: `/var/vm/demo/101/${id}.wav`, isNew: true });

function contract(name: string, make: () => VoicemailStore): void {
  describe(`voicemail store contract: ${name}`, () => {
    it('messages are kept per tenant/extension, oldest first, with all their fields', async () => {
      const s = make();
      const t = tenant();
      await s.add(t, '101', msg('20261202T130002Z_100', 1764680402000));
      await s.add(t, '101', msg('20261202T130001Z_100', 1764680401000));
      await s.add(t, '102', msg('x', 1));
      const list = await s.list(t, '101');
      expect(list.map((m) => m.id)).toEqual(['20261202T130001Z_100', '20261202T130002Z_100']);
      expect(list[0]).toEqual(msg('20261202T130001Z_100', 1764680401000));
      expect(await s.list(t, '100')).toEqual([]);
      await s.close();
    });

    it('markOld saves a message; remove deletes it once; gone messages are not resurrected', async () => {
      const s = make();
      const t = tenant();
      await s.add(t, '101', msg('a', 1));
      await s.add(t, '101', msg('b', 2));
      expect(await s.markOld(t, '101', 'a')).toBe(true);
      expect(countsOf(await s.list(t, '101'))).toEqual({ newCount: 1, oldCount: 1 });
      expect((await s.remove(t, '101', 'b'))?.id).toBe('b');
      expect(await s.remove(t, '101', 'b')).toBeUndefined();
      expect(await s.markOld(t, '101', 'b')).toBe(false);
      expect(await s.list(t, '101')).toEqual([{ ...msg('a', 1), isNew: false }]);
      await s.close();
    });
  });
}

contract('memory', () => new MemoryVoicemailStore());
contract('redis', () => new RedisVoicemailStore({ redis: { url: server.url } }));

describe('redis voicemail store across instances', () => {
  it('a message left through one instance is listed, saved and deleted through another; a restart keeps it', async () => {
    const t = tenant();
    const a = new RedisVoicemailStore({ redis: { url: server.url } });
    const b = new RedisVoicemailStore({ redis: { url: server.url } });
    await a.add(t, '101', msg('m1', 10));
    expect((await b.list(t, '101')).map((m) => m.id)).toEqual(['m1']);
    expect(await b.markOld(t, '101', 'm1')).toBe(true);
    await a.close();
    const again = new RedisVoicemailStore({ redis: { url: server.url } });
    expect(await again.list(t, '101')).toEqual([{ ...msg('m1', 10), isNew: false }]);
    expect((await again.remove(t, '101', 'm1'))?.id).toBe('m1');
    expect(await b.list(t, '101')).toEqual([]);
    await again.close();
    await b.close();
  });
});
