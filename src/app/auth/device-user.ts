/**
 * Shared devices: extension 100 with `sharedDevices: N` accepts the auth usernames
 * `100` (device 1) and `100_2` … `100_N`. `100_1`, `100_0`, `100_02` are spellings we never
 * hand out, so they are parsed as non-canonical and never allowed.
 */
export interface DeviceIdentity {
  extension: string;
  deviceIndex: number;
  /** False for suffixes that are numbers but not the spelling we issue (`_1`, `_0`, `_007`). */
  canonical: boolean;
}

const DEVICE_SUFFIX = /^(.+)_(\d{1,6})$/;

export function parseDeviceUser(username: string): DeviceIdentity {
  const m = DEVICE_SUFFIX.exec(username);
  if (!m) return { extension: username, deviceIndex: 1, canonical: true };
  const extension = m[1]!;
  const digits = m[2]!;
  const deviceIndex = Number(digits);
  const canonical = deviceIndex >= 2 && String(deviceIndex) === digits;
  return { extension, deviceIndex, canonical };
}

export function formatDeviceUser(extension: string, deviceIndex: number): string {
  return deviceIndex === 1 ? extension : `${extension}_${deviceIndex}`;
}

export function isDeviceWithinLimit(identity: DeviceIdentity, sharedDevices: number | undefined): boolean {
  const limit = sharedDevices ?? 1;
  return identity.canonical && identity.deviceIndex >= 1 && identity.deviceIndex <= limit;
}
