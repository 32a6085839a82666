import { UnknownCallerError } from '../errors.js';
import { emergencyCallerId, outgoingCallerId, type IdentitySource, type PresentedIdentity } from '../dialplan/caller-id.js';
import type { CallerId, CosDefinition, Extension, Tenant } from '../model.js';

/** Auth usernames of shared devices look like `100_2` [002]; device 1 is plain `100`. */
const DEVICE_SUFFIX = /^(.+)_([0-9]+)$/;

export interface DeviceIdentity {
  readonly extension: Extension;
  /** 1 for `100`, 2 for `100_2`, ... */
  readonly device: number;
}

/**
 * Maps a device's auth username to its extension and device index, or undefined when it is not a
 * valid device: unknown extension, `100_1`, `100_04`, or an index above `sharedDevices`.
 */
export function resolveDevice(tenant: Tenant, username: string): DeviceIdentity | undefined {
  const direct = tenant.extensions.get(username);
  if (direct !== undefined) return direct.hotDeskPin === undefined ? { extension: direct, device: 1 } : undefined;
  const m = DEVICE_SUFFIX.exec(username);
  if (m === null) return undefined;
  const extension = tenant.extensions.get(m[1]!);
  const digits = m[2]!;
  const device = Number(digits);
  if (extension === undefined || extension.hotDeskPin !== undefined) return undefined;
  if (String(device) !== digits || device < 2 || device > extension.sharedDevices) return undefined;
  return { extension, device };
}

/** Who is calling, as routing needs it. */
export interface CallingParty {
  /** The extension that owns the phone the call comes from (`100` for device `100_2`). */
  readonly phone: Extension;
  readonly device: number;
  /** The hot-desk guest logged in on that phone, if any: their caller ID and CoS apply. */
  readonly hotDeskUser?: Extension;
}

/**
 * Builds the calling party from a device username and an optional hot-desk login.
 * Throws UnknownCallerError for anything that is not a device of the tenant or not a hot-desk extension.
 */
export function resolveCaller(tenant: Tenant, deviceUsername: string, hotDeskLogin?: string): CallingParty {
  const dev = resolveDevice(tenant, deviceUsername);
  if (dev === undefined) {
    throw new UnknownCallerError(tenant.name, deviceUsername, 'not an extension or shared device of this tenant');
  }
  if (hotDeskLogin === undefined) return { phone: dev.extension, device: dev.device };
  const guest = tenant.extensions.get(hotDeskLogin);
  if (guest === undefined || guest.hotDeskPin === undefined) {
    throw new UnknownCallerError(tenant.name, hotDeskLogin, 'not a hot-desk extension of this tenant');
  }
  return { phone: dev.extension, device: dev.device, hotDeskUser: guest };
}

/**
 * A caller that is not a phone: an IVR or incoming line dialling on behalf of an outside caller, or
 * a system-created leg. It runs with its own CoS (DOMAIN §5 security) and presents `callerId`.
 */
export interface ServiceCaller {
  readonly service: string;
  readonly cos: CosDefinition;
  readonly callerId: CallerId;
}

export type RouteCaller = CallingParty | ServiceCaller;

export function isServiceCaller(caller: RouteCaller): caller is ServiceCaller {
  return 'service' in caller;
}

/** Whose caller ID the call presents: the guest while logged in, else the phone's extension. */
export function presentingExtension(caller: RouteCaller): IdentitySource {
  if (isServiceCaller(caller)) return { callerId: caller.callerId, displayName: caller.service, number: '' };
  return caller.hotDeskUser ?? caller.phone;
}

/** Emergency calls present the phone's location identity; a service caller presents its own. */
export function emergencyIdentity(caller: RouteCaller): PresentedIdentity {
  return isServiceCaller(caller) ? outgoingCallerId(presentingExtension(caller), undefined) : emergencyCallerId(caller.phone);
}

/**
 * The CoS objects that apply, in precedence order (their union is the effective CoS):
 * - logged-in hot-desk guest: the guest's CoS first, then the phone's own (logout code etc.);
 * - phone with hot-desk restriction, nobody logged in: the phone's CoS plus its "CoS if not logged";
 * - otherwise the phone's CoS.
 * - a service caller (IVR, incoming line): its own CoS only.
 * A CoS reached by PIN ("Set Class of Service by PIN code") comes first of all.
 */
export function cosRoots(caller: RouteCaller, pinCos: CosDefinition | undefined): CosDefinition[] {
  const roots: CosDefinition[] = [];
  if (pinCos !== undefined) roots.push(pinCos);
  if (isServiceCaller(caller)) {
    roots.push(caller.cos);
    return roots;
  }
  const phoneCos = caller.phone.cos;
  if (caller.hotDeskUser !== undefined) roots.push(caller.hotDeskUser.cos, phoneCos);
  else if (phoneCos.hotDeskRestriction !== undefined) roots.push(phoneCos, phoneCos.hotDeskRestriction.cosIfNotLogged);
  else roots.push(phoneCos);
  return roots;
}
