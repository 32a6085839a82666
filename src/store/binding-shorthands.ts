import type { Binding, DeviceBindingChange, DeviceRef } from './location-store.js';

/** The one-binding operations of a location store, each a DeviceBindingChange its store applies. */
export abstract class BindingShorthands {
  abstract updateDeviceBindings(device: DeviceRef, change: DeviceBindingChange, expectedVersion?: number): Promise<void>;

  putBinding(device: DeviceRef, binding: Binding, ttlSeconds: number): Promise<void> {
    return this.updateDeviceBindings(device, { put: [{ binding, ttlSeconds }] });
  }

  removeBinding(device: DeviceRef, bindingId: string): Promise<void> {
    return this.updateDeviceBindings(device, { remove: [bindingId] });
  }

  removeAllDeviceBindings(device: DeviceRef): Promise<void> {
    return this.updateDeviceBindings(device, { removeAll: true });
  }
}
