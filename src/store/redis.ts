import { createHash } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import { copyBinding, LocationStoreConflict, LocationStoreError, type Binding, type DeviceBindingChange, type DeviceRef, type DeviceSnapshot, type LocationStore } from './location-store.js';
import { OldestKeyEvictor } from '../lib/oldest-key-evictor.js';
import { bindingFromFlat, bindingToFields } from './redis-codec.js';
import { LuaScript, READ_BINDINGS, UPDATE_BINDINGS } from './redis-scripts.js';
import { BindingShorthands } from './binding-shorthands.js';

export interface RedisConnectionConfig {
  /** `redis://[:password@]host:port/db` or `rediss://…`; wins over host/port. */
  url?: string;
  host?: string;
  port?: number;
  username?: string;
  password?: string;
  db?: number;
  /** Sentinel: the sentinels and the monitored master's name. */
  sentinels?: { host: string; port: number }[];
  name?: string;
  sentinelPassword?: string;
  /** Namespace of our keys (default `loc`). */
  keyPrefix?: string;
  /** A command not answered within this many ms fails (default 500): nothing waits on a silent store. */
  commandTimeoutMs?: number;
}

export interface RedisLocationStoreOptions {
  /** An existing client (not closed by close()) or how to connect (closed by close()). */
  redis: Redis | RedisConnectionConfig;
  keyPrefix?: string;
}

const readScript = new LuaScript(READ_BINDINGS);
const updateScript = new LuaScript(UPDATE_BINDINGS);

/** What this instance last read or wrote for a device, with the device's version at that time. */
interface KnownDevice {
  records: { binding: Binding; storeExpiresAt: number }[];
  version: number;
}

/** Devices remembered for conditional updates; the oldest are forgotten first. */
const MAX_KNOWN_DEVICES = 100_000;

/**
 * Redis location store: one hash per binding with native expiry (granted expiry + grace), and
 * one sorted-set index per extension. A read or a REGISTER's whole update is one script call,
 * i.e. one round trip and atomic. Every instance sharing the Redis sees the same bindings.
 */
export class RedisLocationStore extends BindingShorthands implements LocationStore {
  private readonly redis: Redis;
  private readonly owned: boolean;
  private readonly prefix: string;
  /**
   * A REGISTER refresh reads the device and writes it back: two round trips. Remembering what our
   * own last write left lets the read be skipped; the write is then conditional on the device's
   * version, and a device changed by another instance (or expired) costs one fresh read and retry.
   */
  private readonly known = new Map<string, KnownDevice>();
  private readonly knownEvictor = new OldestKeyEvictor(this.known);

  constructor(opts: RedisLocationStoreOptions) {
    super();
    if (opts.redis instanceof Redis) {
      this.redis = opts.redis;
      this.owned = false;
      this.prefix = opts.keyPrefix ?? 'loc';
    } else {
      this.redis = connectRedis(opts.redis);
      this.owned = true;
      this.prefix = opts.keyPrefix ?? opts.redis.keyPrefix ?? 'loc';
    }
  }

  async getDeviceBindings(device: DeviceRef): Promise<Binding[]> {
    return (await this.read(device.tenant, device.extension, this.devicePrefix(device))).bindings;
  }

  async readDeviceForUpdate(device: DeviceRef, fresh: boolean): Promise<DeviceSnapshot> {
    const prefix = this.devicePrefix(device);
    const known = fresh ? undefined : this.known.get(prefix);
    if (known) {
      const now = Date.now();
      const bindings = known.records.filter((r) => r.storeExpiresAt > now).map((r) => copyBinding(r.binding));
      return { bindings, version: known.version, cached: true };
    }
    const r = await this.read(device.tenant, device.extension, prefix, this.versionKey(device));
    const now = Date.now();
    this.remember(prefix, { records: r.bindings.map((b, i) => ({ binding: b, storeExpiresAt: now + (r.ttls[i] ?? 0) })), version: r.version });
    return { bindings: r.bindings.map(copyBinding), version: r.version, cached: false };
  }

  async getExtensionContacts(tenant: string, extension: string): Promise<Binding[]> {
    return (await this.read(tenant, extension, '')).bindings;
  }

  async updateDeviceBindings(device: DeviceRef, change: DeviceBindingChange, expectedVersion?: number): Promise<void> {
    const prefix = this.devicePrefix(device);
    const removeKeys = (change.remove ?? []).map((id) => this.bindingKey(device, id));
    const puts = change.put ?? [];
    const putKeys = puts.map((w) => this.bindingKey(device, w.binding.bindingId));
    const args: (string | number)[] = [expectedVersion ?? '', removeKeys.length, puts.length, prefix, change.removeAll ? '1' : ''];
    for (const w of puts) {
      const fields = bindingToFields(w.binding);
      args.push(Math.max(1, Math.round(w.ttlSeconds * 1000)), fields.length, ...fields);
    }
    const idx = this.indexKey(device.tenant, device.extension);
    const version = await this.call(() => updateScript.run(this.redis, [idx, this.versionKey(device), ...removeKeys, ...putKeys], args));
    if (version === -1) {
      this.known.delete(prefix);
      throw new LocationStoreConflict();
    }
    const known = this.known.get(prefix);
    if (expectedVersion === undefined || typeof version !== 'number' || !known || known.version !== expectedVersion) {
      this.known.delete(prefix);
      return;
    }
    this.remember(prefix, { records: applyChange(known.records, change), version });
  }

  async close(): Promise<void> {
    if (!this.owned) return;
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
    }
  }

  private async read(tenant: string, extension: string, memberPrefix: string, versionKey?: string): Promise<{ bindings: Binding[]; ttls: number[]; version: number }> {
    const keys = versionKey ? [this.indexKey(tenant, extension), versionKey] : [this.indexKey(tenant, extension)];
    const reply = await this.call(() => readScript.run(this.redis, keys, [memberPrefix]));
    if (!Array.isArray(reply) || reply.length !== 3 || !Array.isArray(reply[1]) || !Array.isArray(reply[2])) {
      throw new LocationStoreError('unexpected reply to binding read', 'corrupt-record');
    }
    const bindings = (reply[1] as unknown[]).map((flat: unknown) => {
      if (!Array.isArray(flat)) throw new LocationStoreError('unexpected binding record', 'corrupt-record');
      return bindingFromFlat(flat);
    });
    return { bindings, ttls: (reply[2] as unknown[]).map(Number), version: Number(reply[0]) };
  }

  private remember(prefix: string, device: KnownDevice): void {
    this.known.delete(prefix);
    this.known.set(prefix, device);
    this.knownEvictor.trimTo(MAX_KNOWN_DEVICES);
  }

  private versionKey(d: DeviceRef): string {
    return `${this.tag(d.tenant, d.extension)}:v:${encodeURIComponent(d.deviceUser)}`;
  }

  private async call<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      if (err instanceof LocationStoreError) throw err;
      throw new LocationStoreError(`redis: ${err instanceof Error ? err.message : String(err)}`, 'unavailable', { cause: err });
    }
  }

  private tag(tenant: string, extension: string): string {
    return `${this.prefix}:{${encodeURIComponent(tenant)}/${encodeURIComponent(extension)}}`;
  }

  private indexKey(tenant: string, extension: string): string {
    return `${this.tag(tenant, extension)}:idx`;
  }

  private devicePrefix(d: DeviceRef): string {
    return `${this.tag(d.tenant, d.extension)}:b:${encodeURIComponent(d.deviceUser)}:`;
  }

  private bindingKey(d: DeviceRef, bindingId: string): string {
    // Hashed: contact URIs can be long and contain any character.
    return this.devicePrefix(d) + createHash('sha1').update(bindingId).digest('base64url').slice(0, 22);
  }
}

/** A device's records after a change, as the update script leaves them. */
function applyChange(records: KnownDevice['records'], change: DeviceBindingChange): KnownDevice['records'] {
  if (change.removeAll) records = [];
  const gone = new Set([...(change.remove ?? []), ...(change.put ?? []).map((w) => w.binding.bindingId)]);
  const out = records.filter((r) => !gone.has(r.binding.bindingId));
  const now = Date.now();
  for (const w of change.put ?? []) out.push({ binding: copyBinding(w.binding), storeExpiresAt: now + Math.max(1, Math.round(w.ttlSeconds * 1000)) });
  return out;
}

/** A store's Redis: a client it was given (shared, not closed by it) or one it connects and owns. */
export interface AdoptedRedis {
  redis: Redis;
  owned: boolean;
  prefix: string;
}

export function adoptRedis(r: Redis | RedisConnectionConfig, keyPrefix?: string): AdoptedRedis {
  const given = 'evalsha' in r;
  return { redis: given ? r : connectRedis(r), owned: !given, prefix: keyPrefix ?? (given ? 'loc' : (r.keyPrefix ?? 'loc')) };
}

/** What a store factory is given: the configuration and, in the product, the one shared client. */
export interface StoreBackend {
  redis?: RedisConnectionConfig;
  /** the process's shared connection (watched by the store health); stores do not close it */
  client?: Redis;
}

/** The Redis a store should use (the shared client when there is one), or undefined for memory. */
export function redisFor(cfg: StoreBackend): { redis: Redis | RedisConnectionConfig; keyPrefix?: string } | undefined {
  if (!redisConfigured(cfg.redis)) return undefined;
  const keyPrefix = cfg.redis.keyPrefix;
  return { redis: cfg.client ?? cfg.redis, ...(keyPrefix !== undefined && { keyPrefix }) };
}

/** True when the configuration names a Redis (URL, host or Sentinels); otherwise stores stay in memory. */
export function redisConfigured(r: RedisConnectionConfig | undefined): r is RedisConnectionConfig {
  return r !== undefined && Boolean(r.url || r.host || (r.sentinels && r.sentinels.length > 0));
}

/**
 * Builds the ioredis client: URL, host/port, or Sentinel. Fails fast instead of queueing: a
 * command sent when the connection drops fails at once (no retry on the next connection, whose
 * late write could overwrite newer data), and one the store does not answer fails after the
 * command timeout. Reconnection is tried every 100 ms, backing off to once a second.
 */
export function connectRedis(cfg: RedisConnectionConfig, extra: RedisOptions = {}): Redis {
  const base: RedisOptions = {
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    commandTimeout: cfg.commandTimeoutMs ?? 500,
    retryStrategy: (attempt: number) => Math.min(attempt * 100, 1_000),
    connectTimeout: 5_000,
    enableAutoPipelining: true,
    username: cfg.username,
    password: cfg.password,
    db: cfg.db,
    ...extra,
  };
  if (cfg.sentinels && cfg.sentinels.length > 0) {
    if (!cfg.name) throw new Error('redis: sentinels need the master name (redis.name)');
    return new Redis({ ...base, sentinels: cfg.sentinels, name: cfg.name, sentinelPassword: cfg.sentinelPassword });
  }
  if (cfg.url) return new Redis(cfg.url, base);
  return new Redis({ ...base, host: cfg.host ?? '127.0.0.1', port: cfg.port ?? 6379 });
}
