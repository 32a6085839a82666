import { catalogued, ERRORS, errorMessage, type CodesOf } from '../lib/errors.js';

/**
 * The location service port (RFC 3261 §10): where each registered device can be reached.
 * Two adapters: memory.ts (embedded default) and redis.ts (shared by several app instances).
 */

export { systemClock, type Clock } from '../lib/clock.js';

export type Transport = 'udp' | 'tcp' | 'tls' | 'ws' | 'wss';

const TRANSPORTS: readonly Transport[] = ['udp', 'tcp', 'tls', 'ws', 'wss'];

/** Case-insensitive transport name (as a SIP stack reports it); undefined when unknown. */
export function toTransport(name: string): Transport | undefined {
  const lower = name.toLowerCase();
  return TRANSPORTS.find((t) => t === lower);
}

/** Where a REGISTER actually came from (after NAT): the device is reached there. */
export interface SourceAddress {
  address: string;
  port: number;
  transport: Transport;
}

export interface Binding {
  /**
   * Identity of the binding within its device: `+sip.instance` (+ `reg-id`) when the device sent
   * one (RFC 5626), else the normalised contact URI. A refresh with the same id replaces it.
   */
  bindingId: string;
  contactUri: string;
  deviceUser: string;
  extension: string;
  /** Expiry granted by the registrar (ms epoch); the store keeps the record a grace period longer. */
  expiresAt: number;
  callId: string;
  cseq: number;
  source: SourceAddress;
  instanceId?: string;
  regId?: number;
  userAgent?: string;
}

/** A device of an extension within a tenant (`100_2` of `100` in `demo`). */
export interface DeviceRef {
  tenant: string;
  extension: string;
  deviceUser: string;
}

export interface BindingWrite {
  binding: Binding;
  /** How long the store keeps the record: granted expiry + grace. */
  ttlSeconds: number;
}

/** Everything one REGISTER changes for one device, applied together. */
export interface DeviceBindingChange {
  /** Remove every binding of the device first (`Contact: *`). */
  removeAll?: boolean;
  remove?: readonly string[];
  put?: readonly BindingWrite[];
}

/** A device's bindings as a REGISTER decides on them. */
export interface DeviceSnapshot {
  bindings: Binding[];
  /** Change counter of the device, for a conditional update; absent when the adapter needs none. */
  version?: number;
  /** true when served from this instance's memory of its own last write, not read from the store */
  cached: boolean;
}

export interface LocationStore {
  /** Bindings of one device whose store record is still alive (may include the grace period). */
  getDeviceBindings(device: DeviceRef): Promise<Binding[]>;
  /**
   * The device's bindings for a read-decide-write cycle. With `fresh` false an adapter may answer
   * from what its own last write left (no round trip); the update then says whether that was current.
   */
  readDeviceForUpdate(device: DeviceRef, fresh: boolean): Promise<DeviceSnapshot>;
  /**
   * Applies a REGISTER's changes; atomic per call in the Redis adapter. With `expectedVersion`
   * (from readDeviceForUpdate) it throws LocationStoreConflict, changing nothing, when the device
   * changed since.
   */
  updateDeviceBindings(device: DeviceRef, change: DeviceBindingChange, expectedVersion?: number): Promise<void>;
  putBinding(device: DeviceRef, binding: Binding, ttlSeconds: number): Promise<void>;
  removeBinding(device: DeviceRef, bindingId: string): Promise<void>;
  removeAllDeviceBindings(device: DeviceRef): Promise<void>;
  /** All reachable contacts of an extension, every device: what a call to it forks to. */
  getExtensionContacts(tenant: string, extension: string): Promise<Binding[]>;
  /**
   * Devices and unexpired bindings per tenant, as far as this instance knows them (all of them in
   * memory; with Redis, those this instance has registered or looked up). For /metrics and /health.
   */
  registrationSummary?(now: number): TenantRegistrations[];
  close(): Promise<void>;
}

export interface TenantRegistrations {
  tenant: string;
  devices: number;
  bindings: number;
}

/** Adds one device's live binding count to a per-tenant tally. */
export function tallyDevice(tally: Map<string, TenantRegistrations>, tenant: string, liveBindings: number): void {
  if (liveBindings === 0) return;
  let t = tally.get(tenant);
  if (t === undefined) {
    t = { tenant, devices: 0, bindings: 0 };
    tally.set(tenant, t);
  }
  t.devices++;
  t.bindings += liveBindings;
}

export class LocationStoreError extends Error {
  constructor(
    message: string,
    readonly code: CodesOf<'LocationStoreError'>,
    options?: { cause?: unknown },
  ) {
    super(errorMessage(catalogued('LocationStoreError', code), { message }), options);
    this.name = 'LocationStoreError';
  }
}

/** The device changed between readDeviceForUpdate and updateDeviceBindings: read again, decide again. */
export class LocationStoreConflict extends Error {
  readonly code = ERRORS.LOCATION_STORE_CONFLICT.code;
  constructor() {
    super(errorMessage('LOCATION_STORE_CONFLICT'));
    this.name = 'LocationStoreConflict';
  }
}

export function copyBinding(b: Binding): Binding {
  return { ...b, source: { ...b.source } };
}
