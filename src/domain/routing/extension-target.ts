import type { Extension, Tenant } from '../model.js';

/** What dialling a number inside the tenant reaches, for every feature that targets an extension. */
export type ExtensionTarget =
  /** Ring every registered contact of every device (`100`, `100_2`, ...) in parallel. */
  | { readonly kind: 'extension'; readonly extension: Extension; readonly deviceUsernames: readonly string[] }
  /** A hot-desk guest: ring the phone where they are logged in (login state is not the domain's). */
  | { readonly kind: 'hotDesk'; readonly extension: Extension };

/**
 * Resolves a dialled number to an extension. Device usernames such as `100_2` are NOT dialable
 * and resolve to undefined (an unknown number) [002].
 */
export function resolveExtensionTarget(tenant: Tenant, dialled: string): ExtensionTarget | undefined {
  const ext = tenant.extensions.get(dialled);
  if (ext === undefined) return undefined;
  if (ext.hotDeskPin !== undefined) return { kind: 'hotDesk', extension: ext };
  return { kind: 'extension', extension: ext, deviceUsernames: deviceUsernames(ext) };
}

/** `100`, `100_2`, ... `100_N` for N shared devices. */
export function deviceUsernames(ext: Extension): string[] {
  const names = [ext.number];
  for (let d = 2; d <= ext.sharedDevices; d++) names.push(`${ext.number}_${d}`);
  return names;
}
