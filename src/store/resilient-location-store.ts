import type { Logger } from 'pino';
import { BindingCache } from './binding-cache.js';
import {
  LocationStoreConflict,
  LocationStoreError,
  type Binding,
  type DeviceBindingChange,
  type DeviceRef,
  type DeviceSnapshot,
  type LocationStore,
  type TenantRegistrations,
} from './location-store.js';
import type { StoreHealth } from './store-health.js';
import { WriteBehind } from './write-behind.js';
import { BindingShorthands } from './binding-shorthands.js';

export interface ResilientLocationStoreOptions {
  /** the shared store (Redis) */
  inner: LocationStore;
  health: StoreHealth;
  log: Logger;
  cache?: BindingCache;
  buffer?: WriteBehind;
  /** how often buffered changes are retried while the store is up (ms) */
  retryEveryMs?: number;
  /**
   * Asked each time the store is up again: true when it came back without its data (a Redis
   * restarted without persistence). What this instance knows is then written to it again.
   */
  storeWasEmptied?: () => Promise<boolean>;
  /** kept by the store beyond a re-written binding's expiry, as the registrar grants (s) */
  graceSeconds?: number;
}

/** Buffered devices written at once when the store is back (pipelined: one round trip each). */
const FLUSH_CONCURRENCY = 64;

/**
 * The shared location store with what keeps registrations and calls going while it is down:
 * - REGISTER changes that cannot be written are accepted into a write-behind buffer (newest state
 *   of each binding wins) and written when the store is back;
 * - lookups that cannot be read are answered from the bindings this instance has seen.
 * While the store health says the store is down, nothing waits on it: every operation goes to the
 * buffer or the cache at once. Changes of a device are written in order: a device with buffered
 * changes has them written before anything newer of it is read or written.
 */
export class ResilientLocationStore extends BindingShorthands implements LocationStore {
  private readonly inner: LocationStore;
  private readonly health: StoreHealth;
  private readonly log: Logger;
  readonly cache: BindingCache;
  readonly buffer: WriteBehind;
  /** devices whose buffered change is being written */
  private readonly flushing = new Map<string, Promise<void>>();
  private flushAll: Promise<void> | undefined;
  private readonly timer: NodeJS.Timeout;
  private readonly storeWasEmptied: (() => Promise<boolean>) | undefined;
  private readonly graceSeconds: number;

  constructor(opts: ResilientLocationStoreOptions) {
    super();
    this.inner = opts.inner;
    this.health = opts.health;
    this.log = opts.log;
    this.cache = opts.cache ?? new BindingCache();
    this.buffer = opts.buffer ?? new WriteBehind();
    this.storeWasEmptied = opts.storeWasEmptied;
    this.graceSeconds = opts.graceSeconds ?? 30;
    this.health.onChange((state) => {
      if (state === 'up') void this.flush();
    });
    this.timer = setInterval(() => {
      if (this.buffer.size > 0 && this.health.usable) void this.flush();
    }, opts.retryEveryMs ?? 1_000);
    this.timer.unref();
  }

  /** Buffered devices (a gauge). */
  get pendingWrites(): number {
    return this.buffer.size;
  }

  async getDeviceBindings(device: DeviceRef): Promise<Binding[]> {
    if (await this.settled(device)) {
      try {
        const bindings = await this.inner.getDeviceBindings(device);
        this.cache.setDevice(device, bindings);
        return bindings;
      } catch (err) {
        if (!unavailable(err)) throw err;
      }
    }
    const known = this.cache.device(device, Date.now());
    if (known === undefined) throw storeDown();
    return known;
  }

  async readDeviceForUpdate(device: DeviceRef, fresh: boolean): Promise<DeviceSnapshot> {
    if (await this.settled(device)) {
      try {
        const snapshot = await this.inner.readDeviceForUpdate(device, fresh);
        if (!snapshot.cached) this.cache.setDevice(device, snapshot.bindings);
        return snapshot;
      } catch (err) {
        if (!unavailable(err)) throw err;
      }
    }
    // our best knowledge, decided on as current: the change it leads to is buffered unconditionally
    return { bindings: this.cache.device(device, Date.now()) ?? [], cached: false };
  }

  async updateDeviceBindings(device: DeviceRef, change: DeviceBindingChange, expectedVersion?: number): Promise<void> {
    if (await this.settled(device)) {
      try {
        await this.inner.updateDeviceBindings(device, change, expectedVersion);
        this.cache.applyChange(device, change);
        return;
      } catch (err) {
        if (err instanceof LocationStoreConflict || !unavailable(err)) throw err;
      }
    }
    if (!this.buffer.add(device, change, Date.now())) {
      throw new LocationStoreError('location store down and its write-behind buffer is full', 'buffer-full');
    }
    this.cache.applyChange(device, change);
  }

  async getExtensionContacts(tenant: string, extension: string): Promise<Binding[]> {
    let settled = this.health.usable;
    if (settled && this.buffer.hasExtension(tenant, extension)) {
      await Promise.all(this.buffer.devicesOf(tenant, extension).map((d) => this.flushDevice(d)));
      settled = !this.buffer.hasExtension(tenant, extension);
    }
    if (settled) {
      try {
        const bindings = await this.inner.getExtensionContacts(tenant, extension);
        this.cache.setExtension(tenant, extension, bindings);
        return bindings;
      } catch (err) {
        if (!unavailable(err)) throw err;
      }
    }
    const known = this.cache.extension(tenant, extension, Date.now());
    if (known === undefined) throw storeDown();
    return known;
  }

  registrationSummary(now: number): TenantRegistrations[] {
    return this.cache.summary(now);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    if (this.buffer.size > 0 && this.health.usable) await this.flush();
    if (this.buffer.size > 0) this.log.warn({ devices: this.buffer.size }, 'stopping with registrations not yet written to the store: those devices register again on their next refresh');
    await this.inner.close();
  }

  /** Writes every buffered change; one at a time per device, in order. */
  flush(): Promise<void> {
    this.flushAll ??= this.reseedIfEmptied()
      .then(() => this.flushEverything())
      .finally(() => (this.flushAll = undefined));
    return this.flushAll;
  }

  /** A store back without its data gets every live binding this instance knows, with the buffered changes. */
  private async reseedIfEmptied(): Promise<void> {
    if (!this.storeWasEmptied) return;
    let emptied: boolean;
    try {
      emptied = await this.storeWasEmptied();
    } catch {
      return;
    }
    if (!emptied) return;
    const now = Date.now();
    let devices = 0;
    for (const { device, bindings } of this.cache.devices(now)) {
      const put = bindings.map((binding) => ({ binding, ttlSeconds: (binding.expiresAt - now) / 1000 + this.graceSeconds }));
      if (put.length > 0 && this.buffer.add(device, { put }, now)) devices++;
    }
    if (devices > 0) this.log.warn({ devices }, 'store came back without its data: the bindings this instance knows are written to it again');
  }

  private async flushEverything(): Promise<void> {
    const devices = this.buffer.all();
    if (devices.length === 0) return;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < devices.length && this.health.usable) await this.flushDevice(devices[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(FLUSH_CONCURRENCY, devices.length) }, worker));
    const left = this.buffer.size;
    if (left === 0) this.log.info({ devices: devices.length }, 'buffered registrations written to the store');
    else this.log.warn({ written: devices.length - left, left }, 'buffered registrations partly written: retrying');
  }

  /** true when the device has nothing buffered (written now if need be) and the store is usable */
  private async settled(device: DeviceRef): Promise<boolean> {
    if (!this.health.usable) return false;
    if (!this.buffer.has(device) && !this.flushing.has(flushKey(device))) return true;
    await this.flushDevice(device);
    return !this.buffer.has(device);
  }

  private flushDevice(device: DeviceRef): Promise<void> {
    const k = flushKey(device);
    let running = this.flushing.get(k);
    if (running === undefined) {
      running = this.writeBuffered(device).finally(() => this.flushing.delete(k));
      this.flushing.set(k, running);
    }
    return running;
  }

  private async writeBuffered(device: DeviceRef): Promise<void> {
    const change = this.buffer.take(device, Date.now());
    if (change === undefined) return;
    try {
      await this.inner.updateDeviceBindings(device, change);
    } catch (err) {
      // back into the buffer (nothing newer of the device was merged meanwhile: callers wait for this)
      if (unavailable(err)) this.buffer.add(device, change, Date.now());
      else this.log.error({ err, tenant: device.tenant, device: device.deviceUser }, 'buffered registration not written: dropped (the device registers again on its next refresh)');
    }
  }
}

function unavailable(err: unknown): boolean {
  return err instanceof LocationStoreError && err.code === 'unavailable';
}

function storeDown(): LocationStoreError {
  return new LocationStoreError('location store down and nothing known of the extension here', 'unavailable');
}

function flushKey(d: DeviceRef): string {
  return `${d.tenant}\0${d.deviceUser}`;
}
