import type { Extension, Tenant } from '../model.js';

/**
 * Checks a hot-desk login (`*22`, extension, PIN) and returns the guest extension, or undefined.
 * The comparison does not stop at the first differing character, so timing does not reveal how much
 * of the PIN was right.
 */
export function verifyHotDeskLogin(tenant: Tenant, extension: string, pin: string): Extension | undefined {
  const guest = tenant.extensions.get(extension);
  if (guest?.hotDeskPin === undefined) return undefined;
  return sameText(guest.hotDeskPin, pin) ? guest : undefined;
}

function sameText(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ (b.charCodeAt(i % Math.max(b.length, 1)) | 0);
  return diff === 0;
}

/** A hot-desk login lasts a working day unless the guest logs out (`*23`) or logs in elsewhere. */
export const HOT_DESK_SESSION_SECONDS = 12 * 3600;

/** Wrong extension/PIN pairs one `*22` call may try before it hangs up. */
export const HOT_DESK_LOGIN_TRIES = 3;
