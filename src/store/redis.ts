import { createHash } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import {
  LocationStoreError,
  type Binding,
  type DeviceBindingChange,
  type DeviceRef,
  type LocationStore,
} from './location-store.js';
import { bindingFromFlat, bindingToFields } from './redis-codec.js';
import { LuaScript, READ_BINDINGS, UPDATE_BINDINGS } from './redis-scripts.js';

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
}

export interface RedisLocationStoreOptions {
  /** An existing client (not closed by close()) or how to connect (closed by close()). */
  redis: Redis | RedisConnectionConfig;
  keyPrefix?: string;
}

const readScript = new LuaScript(READ_BINDINGS);
const updateScript = new LuaScript(UPDATE_BINDINGS);

/**
 * Redis location store: one hash per binding with native expiry (granted expiry + grace), and
 * one sorted-set index per extension. A read or a REGISTER's whole update is one script call,
 * i.e. one round trip and atomic. Every instance sharing the Redis sees the same bindings.
 */
export class RedisLocationStore implements LocationStore {
  private readonly redis: Redis;
  private readonly owned: boolean;
  private readonly prefix: string;

  constructor(opts: RedisLocationStoreOptions) {
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
    return this.read(device.tenant, device.extension, this.devicePrefix(device));
  }

  async getExtensionContacts(tenant: string, extension: string): Promise<Binding[]> {
    return this.read(tenant, extension, '');
  }

  async updateDeviceBindings(device: DeviceRef, change: DeviceBindingChange): Promise<void> {
    const removeKeys = (change.remove ?? []).map((id) => this.bindingKey(device, id));
    const puts = change.put ?? [];
    const putKeys = puts.map((w) => this.bindingKey(device, w.binding.bindingId));
    const args: (string | number)[] = [removeKeys.length, puts.length, change.removeAll ? this.devicePrefix(device) : ''];
    for (const w of puts) {
      const fields = bindingToFields(w.binding);
      args.push(Math.max(1, Math.round(w.ttlSeconds * 1000)), fields.length, ...fields);
    }
    const idx = this.indexKey(device.tenant, device.extension);
    await this.call(() => updateScript.run(this.redis, [idx, ...removeKeys, ...putKeys], args));
  }

  putBinding(device: DeviceRef, binding: Binding, ttlSeconds: number): Promise<void> {
    return this.updateDeviceBindings(device, { put: [{ binding, ttlSeconds }] });
  }

  removeBinding(device: DeviceRef, bindingId: string): Promise<void> {
    return this.updateDeviceBindings(device, { remove: [bindingId] });
  }

  removeAllDeviceBindings(device: DeviceRef): Promise<void> {
    return this.updateDeviceBindings(device, { removeAll: true });
  }

  async close(): Promise<void> {
    if (!this.owned) return;
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
    }
  }

  private async read(tenant: string, extension: string, memberPrefix: string): Promise<Binding[]> {
    const reply = await this.call(() => readScript.run(this.redis, [this.indexKey(tenant, extension)], [memberPrefix]));
    if (!Array.isArray(reply)) throw new LocationStoreError('unexpected reply to binding read', 'corrupt-record');
    return reply.map((flat: unknown) => {
      if (!Array.isArray(flat)) throw new LocationStoreError('unexpected binding record', 'corrupt-record');
      return bindingFromFlat(flat);
    });
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

/** Builds the ioredis client: URL, host/port, or Sentinel. Fails fast instead of queueing forever. */
export function connectRedis(cfg: RedisConnectionConfig, extra: RedisOptions = {}): Redis {
  const base: RedisOptions = {
    maxRetriesPerRequest: 2,
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
