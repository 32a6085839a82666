import type { Redis } from 'ioredis';
import type { ExtensionSettings, TenantSettings } from '../domain/model.js';
import { adoptRedis, redisFor, type RedisConnectionConfig, type StoreBackend } from './redis.js';

/** A change a feature code makes; `null` clears the forward or the greeting. */
export interface SettingsChange {
  dnd?: boolean;
  forwardTo?: string | null;
  voicemailGreeting?: string | null;
}

/**
 * Per-extension settings users change with feature codes (DND, *72 forward). In Redis every
 * instance sees the same settings and a restart keeps them; in memory they last the process.
 */
export interface SettingsStore {
  get(tenant: string, extension: string): Promise<ExtensionSettings>;
  update(tenant: string, extension: string, change: SettingsChange): Promise<ExtensionSettings>;
  getTenant(tenant: string): Promise<TenantSettings>;
  /** Flips night mode and returns the new state (atomic across instances in Redis). */
  toggleNightMode(tenant: string): Promise<TenantSettings>;
  close(): Promise<void>;
}

const NONE: ExtensionSettings = { dnd: false };

function applied(current: ExtensionSettings, change: SettingsChange): ExtensionSettings {
  const dnd = change.dnd ?? current.dnd;
  const forwardTo = change.forwardTo === undefined ? current.forwardTo : (change.forwardTo ?? undefined);
  const voicemailGreeting = change.voicemailGreeting === undefined ? current.voicemailGreeting : (change.voicemailGreeting ?? undefined);
  return { dnd, ...(forwardTo !== undefined && { forwardTo }), ...(voicemailGreeting !== undefined && { voicemailGreeting }) };
}

/** The settings in a Redis hash's fields. */
function fromHash(h: Record<string, string>): ExtensionSettings {
  return { dnd: h['dnd'] === '1', ...(h['forwardTo'] !== undefined && { forwardTo: h['forwardTo'] }), ...(h['voicemailGreeting'] !== undefined && { voicemailGreeting: h['voicemailGreeting'] }) };
}

export class MemorySettingsStore implements SettingsStore {
  private readonly byExtension = new Map<string, ExtensionSettings>();
  private readonly nightTenants = new Set<string>();

  async getTenant(tenant: string): Promise<TenantSettings> {
    return { nightMode: this.nightTenants.has(tenant) };
  }

  async toggleNightMode(tenant: string): Promise<TenantSettings> {
    if (this.nightTenants.delete(tenant)) return { nightMode: false };
    this.nightTenants.add(tenant);
    return { nightMode: true };
  }

  async get(tenant: string, extension: string): Promise<ExtensionSettings> {
    return this.byExtension.get(`${tenant}\u0000${extension}`) ?? NONE;
  }

  async update(tenant: string, extension: string, change: SettingsChange): Promise<ExtensionSettings> {
    const key = `${tenant}\u0000${extension}`;
    const next = applied(this.byExtension.get(key) ?? NONE, change);
    if (!next.dnd && next.forwardTo === undefined && next.voicemailGreeting === undefined) this.byExtension.delete(key);
    else this.byExtension.set(key, next);
    return next;
  }

  async close(): Promise<void> {}
}

/** One hash per extension (`<prefix>:set:<tenant>:<extension>`, fields `dnd`, `forwardTo`, `voicemailGreeting`); no expiry. */
export class RedisSettingsStore implements SettingsStore {
  private readonly redis: Redis;
  private readonly owned: boolean;
  private readonly prefix: string;

  constructor(opts: { redis: Redis | RedisConnectionConfig; keyPrefix?: string }) {
    ({ redis: this.redis, owned: this.owned, prefix: this.prefix } = adoptRedis(opts.redis, opts.keyPrefix));
  }

  private key(tenant: string, extension: string): string {
    return `${this.prefix}:set:${tenant}:${extension}`;
  }

  async getTenant(tenant: string): Promise<TenantSettings> {
    return { nightMode: (await this.redis.get(`${this.prefix}:night:${tenant}`)) === '1' };
  }

  async toggleNightMode(tenant: string): Promise<TenantSettings> {
    // one script: atomic, so two instances toggling at once never lose a toggle
    const n = await this.redis.eval("local v = redis.call('GET', KEYS[1]) == '1' and '0' or '1'; redis.call('SET', KEYS[1], v); return v", 1, `${this.prefix}:night:${tenant}`);
    return { nightMode: n === '1' };
  }

  async get(tenant: string, extension: string): Promise<ExtensionSettings> {
    return fromHash(await this.redis.hgetall(this.key(tenant, extension)));
  }

  async update(tenant: string, extension: string, change: SettingsChange): Promise<ExtensionSettings> {
    const key = this.key(tenant, extension);
    const multi = this.redis.multi();
    if (change.dnd !== undefined) multi.hset(key, 'dnd', change.dnd ? '1' : '0');
    if (change.forwardTo === null) multi.hdel(key, 'forwardTo');
    else if (change.forwardTo !== undefined) multi.hset(key, 'forwardTo', change.forwardTo);
    if (change.voicemailGreeting === null) multi.hdel(key, 'voicemailGreeting');
    else if (change.voicemailGreeting !== undefined) multi.hset(key, 'voicemailGreeting', change.voicemailGreeting);
    multi.hgetall(key);
    const results = await multi.exec();
    const last = results?.[results.length - 1];
    if (!last || last[0]) throw last?.[0] ?? new Error('redis: settings update failed');
    return fromHash(last[1] as Record<string, string>);
  }

  async close(): Promise<void> {
    if (this.owned) await this.redis.quit().catch(() => undefined);
  }
}

export function createSettingsStore(cfg: StoreBackend): SettingsStore {
  const r = redisFor(cfg);
  if (r) return new RedisSettingsStore(r);
  return new MemorySettingsStore();
}
