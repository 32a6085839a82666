import type { Binding, DeviceBindingChange, DeviceRef } from '../../store/location-store.js';
import type { AppEvent, RegistrationView } from '../events/app-events.js';

export function registrationView(device: DeviceRef, b: Binding): RegistrationView {
  return {
    tenant: device.tenant,
    extension: device.extension,
    deviceUser: device.deviceUser,
    bindingId: b.bindingId,
    contact: b.contactUri,
    source: { address: b.source.address, port: b.source.port, transport: b.source.transport },
    ...(b.userAgent !== undefined && { userAgent: b.userAgent }),
    expiresAt: new Date(b.expiresAt).toISOString(),
  };
}

/** The events of one applied REGISTER change: removed bindings first, then added or refreshed ones. */
export function registrationEvents(device: DeviceRef, before: readonly Binding[], change: DeviceBindingChange, now: number): AppEvent[] {
  const out: AppEvent[] = [];
  const live = before.filter((b) => b.expiresAt > now);
  const putIds = new Set((change.put ?? []).map((w) => w.binding.bindingId));
  const removed = change.removeAll ? live : live.filter((b) => change.remove?.includes(b.bindingId) && !putIds.has(b.bindingId));
  for (const b of removed) out.push({ type: 'registration.removed', reason: 'register', ...registrationView(device, b) });
  for (const w of change.put ?? []) {
    out.push({ type: 'registration.added', refreshed: live.some((b) => b.bindingId === w.binding.bindingId), ...registrationView(device, w.binding) });
  }
  return out;
}
