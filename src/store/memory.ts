import {
  copyBinding,
  systemClock,
  type Binding,
  type Clock,
  type DeviceBindingChange,
  type DeviceRef,
  type DeviceSnapshot,
  type LocationStore,
  type TenantRegistrations,
  tallyDevice,
} from './location-store.js';
import { BindingShorthands } from './binding-shorthands.js';

interface Stored {
  binding: Binding;
  storeExpiresAt: number;
}

export interface MemoryLocationStoreOptions {
  clock?: Clock;
  /** Period of the background sweep that frees expired records; 0 disables it. */
  sweepIntervalMs?: number;
  /** Devices visited per sweep tick, so a tick never stalls the event loop. */
  sweepBatch?: number;
}

/**
 * In-process location store (embedded default). Expiry is a clock comparison: reads skip and
 * drop dead records; a periodic bounded sweep frees devices nobody reads. Single-threaded, so
 * the sweep cannot race a refresh.
 */
export class MemoryLocationStore extends BindingShorthands implements LocationStore {
  private readonly clock: Clock;
  private readonly devices = new Map<string, Map<string, Stored>>();
  private readonly extensions = new Map<string, Set<string>>();
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly sweepBatch: number;
  private sweepCursor: Iterator<string> | undefined;

  constructor(opts: MemoryLocationStoreOptions = {}) {
    super();
    this.clock = opts.clock ?? systemClock;
    this.sweepBatch = opts.sweepBatch ?? 1000;
    const interval = opts.sweepIntervalMs ?? 30_000;
    if (interval > 0) {
      this.timer = setInterval(() => this.sweep(), interval);
      this.timer.unref();
    }
  }

  async getDeviceBindings(device: DeviceRef): Promise<Binding[]> {
    return this.liveBindings(deviceKey(device.tenant, device.deviceUser), this.clock.now());
  }

  /** Always current: one thread owns the map, so there is nothing to cache and no conflict. */
  async readDeviceForUpdate(device: DeviceRef): Promise<DeviceSnapshot> {
    return { bindings: await this.getDeviceBindings(device), cached: false };
  }

  async updateDeviceBindings(device: DeviceRef, change: DeviceBindingChange): Promise<void> {
    const dKey = deviceKey(device.tenant, device.deviceUser);
    let records = this.devices.get(dKey);
    if (change.removeAll) records?.clear();
    for (const id of change.remove ?? []) records?.delete(id);
    if (change.put && change.put.length > 0) {
      if (!records) {
        records = new Map();
        this.devices.set(dKey, records);
      }
      const now = this.clock.now();
      for (const w of change.put) {
        records.set(w.binding.bindingId, { binding: copyBinding(w.binding), storeExpiresAt: now + w.ttlSeconds * 1000 });
      }
      const xKey = extensionKey(device.tenant, device.extension);
      let members = this.extensions.get(xKey);
      if (!members) {
        members = new Set();
        this.extensions.set(xKey, members);
      }
      members.add(dKey);
    }
    if (records && records.size === 0) this.dropDevice(dKey, device.tenant, device.extension);
  }

  async getExtensionContacts(tenant: string, extension: string): Promise<Binding[]> {
    const members = this.extensions.get(extensionKey(tenant, extension));
    if (!members) return [];
    const now = this.clock.now();
    const out: Binding[] = [];
    for (const dKey of members) out.push(...this.liveBindings(dKey, now));
    return out;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
  }

  registrationSummary(now: number): TenantRegistrations[] {
    const tally = new Map<string, TenantRegistrations>();
    for (const [dKey, records] of this.devices) {
      let live = 0;
      for (const r of records.values()) if (r.binding.expiresAt > now) live++;
      tallyDevice(tally, dKey.slice(0, dKey.indexOf('\0')), live);
    }
    return [...tally.values()];
  }

  /** Number of stored records, dead or alive (a gauge). */
  get size(): number {
    let n = 0;
    for (const r of this.devices.values()) n += r.size;
    return n;
  }

  /** Frees expired records of up to `sweepBatch` devices, resuming where the last tick stopped. */
  sweep(): void {
    const now = this.clock.now();
    for (let i = 0; i < this.sweepBatch; i++) {
      this.sweepCursor ??= this.devices.keys();
      const next = this.sweepCursor.next();
      if (next.done) {
        this.sweepCursor = undefined;
        return;
      }
      this.purgeDevice(next.value, now);
    }
  }

  private liveBindings(dKey: string, now: number): Binding[] {
    const records = this.purgeDevice(dKey, now);
    if (!records) return [];
    const out: Binding[] = [];
    for (const r of records.values()) out.push(copyBinding(r.binding));
    return out;
  }

  private purgeDevice(dKey: string, now: number): Map<string, Stored> | undefined {
    const records = this.devices.get(dKey);
    if (!records) return undefined;
    let sample: Binding | undefined;
    for (const [id, r] of records) {
      sample = r.binding;
      if (r.storeExpiresAt <= now) records.delete(id);
    }
    if (records.size === 0 && sample) {
      this.dropDevice(dKey, dKey.slice(0, dKey.indexOf('\0')), sample.extension);
      return undefined;
    }
    return records;
  }

  private dropDevice(dKey: string, tenant: string, extension: string): void {
    this.devices.delete(dKey);
    const xKey = extensionKey(tenant, extension);
    const members = this.extensions.get(xKey);
    if (!members) return;
    members.delete(dKey);
    if (members.size === 0) this.extensions.delete(xKey);
  }
}

function deviceKey(tenant: string, deviceUser: string): string {
  return `${tenant}\0${deviceUser}`;
}

function extensionKey(tenant: string, extension: string): string {
  return `${tenant}\0${extension}`;
}
