import type { Redis } from 'ioredis';
import { adoptRedis, redisFor, type RedisConnectionConfig, type StoreBackend } from './redis.js';

/** A hot-desk guest logged in on a phone (DOMAIN §1): the phone takes the guest's calls, caller ID and CoS. */
export interface HotDeskSession {
  tenant: string;
  /** the phone's device user (`103`, `100_2`) */
  phone: string;
  /** the guest's extension */
  guest: string;
  expiresAt: number;
}

/**
 * Hot-desk logins, one guest per phone and one phone per guest: logging in elsewhere ends the
 * previous session. In Redis every instance sees them and a restart keeps them; each session
 * expires on its own.
 */
export interface HotDeskStore {
  login(tenant: string, phone: string, guest: string, ttlSeconds: number): Promise<void>;
  /** Ends the session on a phone; returns the guest who was logged in, if any. */
  logoutPhone(tenant: string, phone: string): Promise<string | undefined>;
  logoutGuest(tenant: string, guest: string): Promise<void>;
  guestOn(tenant: string, phone: string): Promise<string | undefined>;
  phoneOf(tenant: string, guest: string): Promise<string | undefined>;
  list(tenant: string): Promise<HotDeskSession[]>;
  close(): Promise<void>;
}

interface Entry {
  other: string;
  expiresAt: number;
}

export class MemoryHotDeskStore implements HotDeskStore {
  private readonly byPhone = new Map<string, Entry>();
  private readonly byGuest = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  async login(tenant: string, phone: string, guest: string, ttlSeconds: number): Promise<void> {
    await this.logoutGuest(tenant, guest);
    await this.logoutPhone(tenant, phone);
    const expiresAt = this.now() + ttlSeconds * 1000;
    this.byPhone.set(key(tenant, phone), { other: guest, expiresAt });
    this.byGuest.set(key(tenant, guest), { other: phone, expiresAt });
  }

  async logoutPhone(tenant: string, phone: string): Promise<string | undefined> {
    const e = this.live(this.byPhone, key(tenant, phone));
    this.byPhone.delete(key(tenant, phone));
    if (e) this.byGuest.delete(key(tenant, e.other));
    return e?.other;
  }

  async logoutGuest(tenant: string, guest: string): Promise<void> {
    const e = this.live(this.byGuest, key(tenant, guest));
    this.byGuest.delete(key(tenant, guest));
    if (e) this.byPhone.delete(key(tenant, e.other));
  }

  async guestOn(tenant: string, phone: string): Promise<string | undefined> {
    return this.live(this.byPhone, key(tenant, phone))?.other;
  }

  async phoneOf(tenant: string, guest: string): Promise<string | undefined> {
    return this.live(this.byGuest, key(tenant, guest))?.other;
  }

  async list(tenant: string): Promise<HotDeskSession[]> {
    const out: HotDeskSession[] = [];
    for (const [k, e] of this.byPhone) {
      const [t, phone] = k.split('\u0000') as [string, string];
      if (t === tenant && e.expiresAt > this.now()) out.push({ tenant, phone, guest: e.other, expiresAt: e.expiresAt });
    }
    return out;
  }

  async close(): Promise<void> {}

  private live(m: Map<string, Entry>, k: string): Entry | undefined {
    const e = m.get(k);
    if (e && e.expiresAt <= this.now()) {
      m.delete(k);
      return undefined;
    }
    return e;
  }
}

function key(tenant: string, who: string): string {
  return `${tenant}\u0000${who}`;
}

// KEYS: phone key, guest key. ARGV: guest, phone, ttl, guest-key prefix, phone-key prefix.
// One script, so a login racing another on a second instance never leaves half a session.
const LOGIN = `
local oldGuest = redis.call('GET', KEYS[1])
if oldGuest then redis.call('DEL', ARGV[4] .. oldGuest) end
local oldPhone = redis.call('GET', KEYS[2])
if oldPhone then redis.call('DEL', ARGV[5] .. oldPhone) end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[3])
return 1`;

// KEYS: the key of one side. ARGV: prefix of the other side's keys. Returns the other side.
const LOGOUT = `
local other = redis.call('GET', KEYS[1])
redis.call('DEL', KEYS[1])
if other then redis.call('DEL', ARGV[1] .. other) end
return other`;

/** `<prefix>:hd:<tenant>:phone:<device>` → guest and `<prefix>:hd:<tenant>:guest:<ext>` → phone, both with the session's expiry. */
export class RedisHotDeskStore implements HotDeskStore {
  private readonly redis: Redis;
  private readonly owned: boolean;
  private readonly prefix: string;

  constructor(opts: { redis: Redis | RedisConnectionConfig; keyPrefix?: string }) {
    ({ redis: this.redis, owned: this.owned, prefix: this.prefix } = adoptRedis(opts.redis, opts.keyPrefix));
  }

  private phones(tenant: string): string {
    return `${this.prefix}:hd:${tenant}:phone:`;
  }

  private guests(tenant: string): string {
    return `${this.prefix}:hd:${tenant}:guest:`;
  }

  async login(tenant: string, phone: string, guest: string, ttlSeconds: number): Promise<void> {
    const p = this.phones(tenant);
    const g = this.guests(tenant);
    await this.redis.eval(LOGIN, 2, p + phone, g + guest, guest, phone, String(Math.max(1, Math.round(ttlSeconds))), g, p);
  }

  async logoutPhone(tenant: string, phone: string): Promise<string | undefined> {
    const guest = await this.redis.eval(LOGOUT, 1, this.phones(tenant) + phone, this.guests(tenant));
    return typeof guest === 'string' ? guest : undefined;
  }

  async logoutGuest(tenant: string, guest: string): Promise<void> {
    await this.redis.eval(LOGOUT, 1, this.guests(tenant) + guest, this.phones(tenant));
  }

  async guestOn(tenant: string, phone: string): Promise<string | undefined> {
    return (await this.redis.get(this.phones(tenant) + phone)) ?? undefined;
  }

  async phoneOf(tenant: string, guest: string): Promise<string | undefined> {
    return (await this.redis.get(this.guests(tenant) + guest)) ?? undefined;
  }

  async list(tenant: string): Promise<HotDeskSession[]> {
    const p = this.phones(tenant);
    const out: HotDeskSession[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${p}*`, 'COUNT', 200);
      cursor = next;
      for (const k of keys) {
        const [guest, ttl] = await Promise.all([this.redis.get(k), this.redis.pttl(k)]);
        if (guest !== null && ttl > 0) out.push({ tenant, phone: k.slice(p.length), guest, expiresAt: Date.now() + ttl });
      }
    } while (cursor !== '0');
    return out;
  }

  async close(): Promise<void> {
    if (this.owned) await this.redis.quit().catch(() => undefined);
  }
}

export function createHotDeskStore(cfg: StoreBackend): HotDeskStore {
  const r = redisFor(cfg);
  if (r) return new RedisHotDeskStore(r);
  return new MemoryHotDeskStore();
}
