import { copyBinding, type Binding, type DeviceBindingChange, type DeviceRef } from './location-store.js';

interface PendingDevice {
  device: DeviceRef;
  removeAll: boolean;
  remove: Set<string>;
  /** binding id → the newest binding asked for, with when its store record should lapse */
  put: Map<string, { binding: Binding; storeExpiresAt: number }>;
}

/**
 * REGISTER changes accepted while the store was unreachable, merged per device so that only the
 * newest state of each binding is written when the store is back: a later put of a binding
 * replaces an earlier one, a later removal cancels it, `Contact: *` clears what came before.
 * Bounded in devices; `add` refuses when full.
 */
export class WriteBehind {
  private readonly devices = new Map<string, PendingDevice>();
  /** extension key → its devices with pending changes */
  private readonly byExtension = new Map<string, Set<string>>();

  constructor(private readonly maxDevices = 100_000) {}

  get size(): number {
    return this.devices.size;
  }

  has(device: DeviceRef): boolean {
    return this.devices.has(deviceKey(device));
  }

  hasExtension(tenant: string, extension: string): boolean {
    return this.byExtension.has(extensionKey(tenant, extension));
  }

  /** Devices of the extension with pending changes. */
  devicesOf(tenant: string, extension: string): DeviceRef[] {
    const keys = this.byExtension.get(extensionKey(tenant, extension));
    return keys ? [...keys].map((k) => this.devices.get(k)!.device) : [];
  }

  all(): DeviceRef[] {
    return [...this.devices.values()].map((p) => p.device);
  }

  /** Merges a change in; false (nothing kept) when the buffer is full. */
  add(device: DeviceRef, change: DeviceBindingChange, now: number): boolean {
    const k = deviceKey(device);
    let p = this.devices.get(k);
    if (p === undefined) {
      if (this.devices.size >= this.maxDevices) return false;
      p = { device: { ...device }, removeAll: false, remove: new Set(), put: new Map() };
      this.devices.set(k, p);
      const xk = extensionKey(device.tenant, device.extension);
      const members = this.byExtension.get(xk);
      if (members) members.add(k);
      else this.byExtension.set(xk, new Set([k]));
    }
    if (change.removeAll) {
      p.removeAll = true;
      p.remove.clear();
      p.put.clear();
    }
    for (const id of change.remove ?? []) {
      p.put.delete(id);
      p.remove.add(id);
    }
    for (const w of change.put ?? []) {
      p.remove.delete(w.binding.bindingId);
      p.put.set(w.binding.bindingId, { binding: copyBinding(w.binding), storeExpiresAt: now + Math.max(1, w.ttlSeconds * 1000) });
    }
    return true;
  }

  /**
   * Removes the device's pending change and returns it as one store update, the time-to-live of
   * each put shortened by the time spent waiting (a binding that lapsed meanwhile is removed).
   */
  take(device: DeviceRef, now: number): DeviceBindingChange | undefined {
    const k = deviceKey(device);
    const p = this.devices.get(k);
    if (p === undefined) return undefined;
    this.devices.delete(k);
    const xk = extensionKey(device.tenant, device.extension);
    const members = this.byExtension.get(xk);
    members?.delete(k);
    if (members?.size === 0) this.byExtension.delete(xk);
    const remove = [...p.remove];
    const put: { binding: Binding; ttlSeconds: number }[] = [];
    for (const [id, w] of p.put) {
      if (w.storeExpiresAt > now) put.push({ binding: w.binding, ttlSeconds: (w.storeExpiresAt - now) / 1000 });
      else remove.push(id);
    }
    return { ...(p.removeAll && { removeAll: true }), ...(remove.length > 0 && { remove }), ...(put.length > 0 && { put }) };
  }
}

function deviceKey(d: DeviceRef): string {
  return `${d.tenant}\0${d.deviceUser}`;
}

function extensionKey(tenant: string, extension: string): string {
  return `${tenant}\0${extension}`;
}
