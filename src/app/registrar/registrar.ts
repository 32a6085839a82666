import { LocationStoreConflict, LocationStoreError, systemClock, type Binding, type Clock, type DeviceRef, type LocationStore } from '../../store/location-store.js';
import type { AppEvents } from '../events/app-events.js';
import { ExpiryWatch } from './expiry-watch.js';
import { registrationEvents, registrationView } from './registration-events.js';
import { RegistrarError } from './errors.js';
import { DEFAULT_EXPIRY_POLICY } from './expiry.js';
import { decideRegistration, formatContactsFor200, remainingSeconds, type RegisterFacts, type RegisterRules } from './register-decision.js';

export interface RegistrarOptions {
  store: LocationStore;
  rules?: Partial<RegisterRules>;
  clock?: Clock;
  /** registration added/removed/expired, when somebody listens */
  events?: AppEvents;
}

export type RegisterOutcome =
  | {
      kind: 'ok';
      status: 200;
      /** Contact header values for the 200 OK, one per current binding of the device. */
      contacts: string[];
      bindings: Binding[];
      /** The soonest binding's remaining seconds (the 200's Expires); undefined without bindings. */
      soonestExpires?: number;
      added: number;
      removed: number;
    }
  | { kind: 'reject'; status: 400 | 403 | 423 | 500; reason: string; headers: Record<string, string> };

function soonest(bindings: readonly Binding[], now: number): { soonestExpires?: number } {
  if (bindings.length === 0) return {};
  let min = Infinity;
  for (const b of bindings) min = Math.min(min, remainingSeconds(b, now));
  return { soonestExpires: min };
}

export const DEFAULT_REGISTER_RULES: RegisterRules = { ...DEFAULT_EXPIRY_POLICY, maxContactsPerDevice: 10 };

/** Conditional writes that lose to another instance this many times in a row end in a 500. */
const MAX_ATTEMPTS = 5;

/**
 * The registrar for an authenticated REGISTER: read the device's bindings, decide, write back.
 * The write is conditional on the device not having changed since the read (where the store
 * needs it: Redis), so two instances racing on one device never lose a contact: the loser reads
 * again and decides again.
 */
export class Registrar {
  readonly rules: RegisterRules;
  private readonly store: LocationStore;
  private readonly clock: Clock;
  /** the REGISTER of each device being handled, for one-at-a-time per device */
  private readonly lanes = new Map<string, Promise<RegisterOutcome>>();
  private readonly events: AppEvents | undefined;
  private readonly expiries: ExpiryWatch | undefined;

  constructor(opts: RegistrarOptions) {
    this.store = opts.store;
    this.clock = opts.clock ?? systemClock;
    this.rules = { ...DEFAULT_REGISTER_RULES, ...opts.rules };
    this.events = opts.events;
    this.expiries = opts.events && new ExpiryWatch(opts.events, this.store, this.clock);
    if (this.rules.minSeconds > this.rules.defaultSeconds || this.rules.defaultSeconds > this.rules.maxSeconds) {
      throw new Error('registrar: expiry rules need min <= default <= max');
    }
  }

  /**
   * Throws RegistrarError (503 with Retry-After) when the location store can neither be reached nor
   * buffer the change. REGISTERs of one device
   * are handled one after the other in this instance, so they never race each other; only another
   * instance can make a conditional write fail.
   */
  register(facts: RegisterFacts): Promise<RegisterOutcome> {
    const key = `${facts.tenant}\u0000${facts.deviceUser}`;
    const before = this.lanes.get(key);
    const run = before
      ? before.then(
          () => this.registerNow(facts),
          () => this.registerNow(facts),
        )
      : this.registerNow(facts);
    this.lanes.set(key, run);
    const forget = (): void => {
      if (this.lanes.get(key) === run) this.lanes.delete(key);
    };
    run.then(forget, forget);
    return run;
  }

  private async registerNow(facts: RegisterFacts): Promise<RegisterOutcome> {
    const device = { tenant: facts.tenant, extension: facts.extension, deviceUser: facts.deviceUser };
    let fresh = false;
    for (let attempt = 1; ; attempt++) {
      const snapshot = await this.guard(() => this.store.readDeviceForUpdate(device, fresh));
      const current = snapshot.bindings;
      const now = this.clock.now();
      const decision = decideRegistration(facts, current, this.rules, now);
      const change = decision.kind === 'apply' ? decision.change : undefined;
      const touches = !!change && (change.removeAll || (change.remove?.length ?? 0) > 0 || (change.put?.length ?? 0) > 0);
      if (snapshot.cached && !touches) {
        // a refusal or a plain query must be judged on the store's current state, not our memory
        fresh = true;
        continue;
      }
      if (decision.kind === 'reject') return decision;
      if (touches) {
        try {
          await this.guard(() => this.store.updateDeviceBindings(device, decision.change, snapshot.version));
        } catch (err) {
          if (!(err instanceof LocationStoreConflict)) throw err;
          if (attempt >= MAX_ATTEMPTS) throw new RegistrarError(500, 'Location Service Busy', { 'Retry-After': '1' }, { cause: err });
          fresh = true;
          continue;
        }
        if (this.events?.listening) this.announce(device, current, decision.change, now);
      }
      return {
        kind: 'ok',
        status: 200,
        contacts: formatContactsFor200(decision.bindings, now),
        bindings: decision.bindings,
        ...soonest(decision.bindings, now),
        added: decision.change.put?.length ?? 0,
        removed: decision.change.removeAll ? current.length : (decision.change.remove?.length ?? 0),
      };
    }
  }

  /** Removes every binding of a device (admin); resolves with how many there were. */
  async removeDevice(device: DeviceRef): Promise<number> {
    const had = await this.guard(() => this.store.getDeviceBindings(device));
    if (had.length === 0) return 0;
    await this.guard(() => this.store.removeAllDeviceBindings(device));
    for (const b of had) {
      this.expiries?.forget(device, b.bindingId);
      if (this.events?.listening) this.events.emit({ type: 'registration.removed', reason: 'admin', ...registrationView(device, b) });
    }
    return had.length;
  }

  /** Stops the expiry timer (tests, shutdown). */
  stop(): void {
    this.expiries?.stop();
  }

  private announce(device: DeviceRef, before: readonly Binding[], change: Parameters<typeof registrationEvents>[2], now: number): void {
    for (const e of registrationEvents(device, before, change, now)) this.events?.emit(e);
    for (const id of change.removeAll ? before.map((b) => b.bindingId) : (change.remove ?? [])) this.expiries?.forget(device, id);
    for (const w of change.put ?? []) this.expiries?.watch(device, w.binding);
  }

  /**
   * Every unexpired contact of every device of an extension: what a call to it forks to.
   * Records kept only by the store's grace period are left out.
   */
  async contactsOf(tenant: string, extension: string): Promise<Binding[]> {
    const all = await this.guard(() => this.store.getExtensionContacts(tenant, extension));
    const now = this.clock.now();
    return all.filter((b) => b.expiresAt > now);
  }

  private async guard<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      if (err instanceof LocationStoreError) {
        // 503 + Retry-After: the client (or a proxy before us) tries again later or elsewhere
        throw new RegistrarError(503, 'Location Service Unavailable', { 'Retry-After': '5' }, { cause: err });
      }
      throw err;
    }
  }
}
