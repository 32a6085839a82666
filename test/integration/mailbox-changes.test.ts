import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { createMailboxChanges, type MailboxChanges } from '../../src/store/mailbox-changes.js';
import { connectRedis } from '../../src/store/redis.js';
import { startRedisServer, type RedisServerHandle } from '../helpers/redis-server.js';
import { until } from '../helpers/poll.js';

// Mailbox changes between instances over a real redis-server: what each instance hears.
let server: RedisServerHandle;
const opened: Redis[] = [];
const changes: MailboxChanges[] = [];

beforeAll(async () => {
  server = await startRedisServer();
});

afterAll(async () => {
  for (const c of changes) await c.close();
  for (const r of opened) await r.quit();
  await server?.stop();
});

/** One instance: its shared connection and its mailbox changes, with what it heard. */
function instance(keyPrefix = 'loc'): { changes: MailboxChanges; heard: string[]; errors: Error[] } {
  const cfg = { url: server.url, keyPrefix };
  const client = connectRedis(cfg);
  opened.push(client);
  const errors: Error[] = [];
  const c = createMailboxChanges({ redis: cfg, client }, (err) => errors.push(err));
  changes.push(c);
  const heard: string[] = [];
  c.listen((tenant, extension) => heard.push(`${tenant}/${extension}`));
  return { changes: c, heard, errors };
}

describe('mailbox changes between instances (Redis pub/sub)', () => {
  it('every other instance on the same prefix hears an announcement; the announcer does not, nor an instance on another prefix', async () => {
    const a = instance();
    const b = instance();
    const c = instance();
    const other = instance('elsewhere');
    await new Promise((r) => setTimeout(r, 300)); // subscriptions made
    a.changes.announce('demo', '101');
    await until('B and C hear it', () => b.heard.length === 1 && c.heard.length === 1);
    expect(b.heard).toEqual(['demo/101']);
    expect(c.heard).toEqual(['demo/101']);
    await new Promise((r) => setTimeout(r, 200));
    expect(a.heard).toEqual([]);
    expect(other.heard).toEqual([]);
    expect([...a.errors, ...b.errors]).toEqual([]);
  });

  it('a message on the channel that is not an announcement is ignored', async () => {
    const b = instance();
    await new Promise((r) => setTimeout(r, 300));
    const raw = connectRedis({ url: server.url });
    opened.push(raw);
    await raw.publish('loc:mwi', 'not json');
    await raw.publish('loc:mwi', JSON.stringify({ origin: 'x', tenant: 7 }));
    await raw.publish('loc:mwi', JSON.stringify({ origin: 'x', tenant: 'demo', extension: '102' }));
    await until('the well-formed one', () => b.heard.length > 0);
    expect(b.heard).toEqual(['demo/102']);
  });

  it('without Redis an announcement goes nowhere and nothing is opened', async () => {
    const local = createMailboxChanges({}, () => undefined);
    const heard: string[] = [];
    local.listen((t, e) => heard.push(`${t}/${e}`));
    local.announce('demo', '101');
    await new Promise((r) => setTimeout(r, 50));
    expect(heard).toEqual([]);
    await local.close();
  });
});
