import { OldestKeyEvictor } from '../lib/oldest-key-evictor.js';
import { copyBinding, tallyDevice, type Binding, type DeviceBindingChange, type DeviceRef, type TenantRegistrations } from './location-store.js';

/** One extension's devices → their bindings, as last read or written through this instance. */
type Extension = Map<string, Binding[]>;

/**
 * Bindings this instance has seen, by extension: refreshed by every successful read and write of
 * the shared store, and served when the store cannot be reached, so calls to devices this
 * instance knows still connect during an outage. Expired bindings are never served. Bounded: the
 * extensions least recently refreshed are forgotten first.
 */
export class BindingCache {
  private readonly extensions = new Map<string, Extension>();
  private readonly evictor = new OldestKeyEvictor(this.extensions);

  constructor(private readonly maxExtensions = 50_000) {}

  get size(): number {
    return this.extensions.size;
  }

  /** Every binding of the extension, as the store just answered (replaces what was known). */
  setExtension(tenant: string, extension: string, bindings: readonly Binding[]): void {
    const devices: Extension = new Map();
    for (const b of bindings) {
      const list = devices.get(b.deviceUser);
      if (list) list.push(copyBinding(b));
      else devices.set(b.deviceUser, [copyBinding(b)]);
    }
    this.touch(key(tenant, extension), devices);
  }

  /** One device's bindings, as the store just answered. */
  setDevice(device: DeviceRef, bindings: readonly Binding[]): void {
    const k = key(device.tenant, device.extension);
    const devices = this.extensions.get(k) ?? new Map<string, Binding[]>();
    devices.set(device.deviceUser, bindings.map(copyBinding));
    this.touch(k, devices);
  }

  /** A REGISTER's change, written to the store or buffered for it. */
  applyChange(device: DeviceRef, change: DeviceBindingChange): void {
    const k = key(device.tenant, device.extension);
    const devices = this.extensions.get(k) ?? new Map<string, Binding[]>();
    let list = change.removeAll ? [] : (devices.get(device.deviceUser) ?? []);
    const gone = new Set([...(change.remove ?? []), ...(change.put ?? []).map((w) => w.binding.bindingId)]);
    if (gone.size > 0) list = list.filter((b) => !gone.has(b.bindingId));
    for (const w of change.put ?? []) list.push(copyBinding(w.binding));
    devices.set(device.deviceUser, list);
    this.touch(k, devices);
  }

  /** Unexpired bindings of every device of the extension; undefined when this instance knows nothing of it. */
  extension(tenant: string, extension: string, now: number): Binding[] | undefined {
    const devices = this.extensions.get(key(tenant, extension));
    if (devices === undefined) return undefined;
    const out: Binding[] = [];
    for (const list of devices.values()) for (const b of list) if (b.expiresAt > now) out.push(copyBinding(b));
    return out;
  }

  /** Unexpired bindings of one device; undefined when unknown. */
  device(device: DeviceRef, now: number): Binding[] | undefined {
    const list = this.extensions.get(key(device.tenant, device.extension))?.get(device.deviceUser);
    return list?.filter((b) => b.expiresAt > now).map(copyBinding);
  }

  /** Every device with live bindings. */
  *devices(now: number): Generator<{ device: DeviceRef; bindings: Binding[] }> {
    for (const [k, devices] of this.extensions) {
      const tenant = k.slice(0, k.indexOf('\0'));
      const extension = k.slice(k.indexOf('\0') + 1);
      for (const [deviceUser, list] of devices) {
        const bindings = list.filter((b) => b.expiresAt > now).map(copyBinding);
        if (bindings.length > 0) yield { device: { tenant, extension, deviceUser }, bindings };
      }
    }
  }

  summary(now: number): TenantRegistrations[] {
    const tally = new Map<string, TenantRegistrations>();
    for (const [k, devices] of this.extensions) {
      const tenant = k.slice(0, k.indexOf('\0'));
      for (const list of devices.values()) {
        let live = 0;
        for (const b of list) if (b.expiresAt > now) live++;
        tallyDevice(tally, tenant, live);
      }
    }
    return [...tally.values()];
  }

  private touch(k: string, devices: Extension): void {
    this.extensions.delete(k);
    this.extensions.set(k, devices);
    this.evictor.trimTo(this.maxExtensions);
  }
}

function key(tenant: string, extension: string): string {
  return `${tenant}\0${extension}`;
}
