import type { Extension, Tenant } from '../model.js';

/**
 * Ring time of a call to an extension when nothing else is configured: long enough for a person
 * to reach a desk phone, short enough that the caller is not left listening to ringback forever.
 */
export const DEFAULT_RING_TIMEOUT_SECONDS = 30;

/** How long every device of `extension` rings before the call ends (the extension's own, else the tenant's). */
export function ringTimeoutSeconds(tenant: Tenant, extension: Extension | undefined): number {
  return extension?.ringTimeoutSeconds ?? tenant.ringTimeoutSeconds;
}
