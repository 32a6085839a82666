import type { Binding, DeviceRef, LocationStore } from '../../store/location-store.js';
import type { Clock } from '../../lib/clock.js';
import type { AppEvents } from '../events/app-events.js';
import { registrationView } from './registration-events.js';

interface Watched {
  device: DeviceRef;
  binding: Binding;
}

const TICK_MS = 1000;
const MAX_WATCHED = 50_000;

/**
 * Reports `registration.expired` for bindings this instance granted while somebody listened to
 * the events. One unref'd timer, running only while something is watched and somebody listens;
 * a due binding is checked against the store first, so a refresh through another instance is not
 * mistaken for an expiry.
 */
export class ExpiryWatch {
  private readonly watched = new Map<string, Watched>();
  private timer: NodeJS.Timeout | undefined;
  private checking = false;

  constructor(
    private readonly events: AppEvents,
    private readonly store: LocationStore,
    private readonly clock: Clock,
  ) {}

  watch(device: DeviceRef, binding: Binding): void {
    const k = key(device, binding.bindingId);
    this.watched.delete(k);
    if (this.watched.size >= MAX_WATCHED) return;
    this.watched.set(k, { device, binding });
    this.timer ??= setInterval(() => void this.tick(), TICK_MS);
    this.timer.unref();
  }

  forget(device: DeviceRef, bindingId: string): void {
    this.watched.delete(key(device, bindingId));
  }

  get size(): number {
    return this.watched.size;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.watched.clear();
  }

  private async tick(): Promise<void> {
    if (!this.events.listening || this.watched.size === 0) return this.stop();
    if (this.checking) return;
    this.checking = true;
    try {
      const now = this.clock.now();
      const due = [...this.watched.entries()].filter(([, w]) => w.binding.expiresAt <= now);
      for (const [k, w] of due) {
        const current = await this.store.getDeviceBindings(w.device).catch(() => undefined);
        if (this.watched.get(k) !== w) continue; // refreshed or removed meanwhile
        const still = current?.find((b) => b.bindingId === w.binding.bindingId && b.expiresAt > this.clock.now());
        if (still !== undefined) {
          this.watched.set(k, { device: w.device, binding: still });
          continue;
        }
        if (current === undefined) continue; // store unreachable: try again next tick
        this.watched.delete(k);
        if (this.events.listening) this.events.emit({ type: 'registration.expired', ...registrationView(w.device, w.binding) });
      }
    } finally {
      this.checking = false;
    }
  }
}

function key(device: DeviceRef, bindingId: string): string {
  return `${device.tenant}\u0000${device.deviceUser}\u0000${bindingId}`;
}
