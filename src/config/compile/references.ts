import { fail, type KeyPath } from '../errors.js';

/** Looks `ref` up in `table` or fails at `path` with "unknown <what> "ref"". */
export function lookup<T>(table: ReadonlyMap<string, T>, ref: string, what: string, path: KeyPath): T {
  const found = table.get(ref);
  if (found === undefined) {
    const known = [...table.keys()];
    const hint = known.length === 0 ? `no ${what}s are defined` : `known: ${known.join(', ')}`;
    fail(path, `unknown ${what} "${ref}" (${hint})`);
  }
  return found;
}

export function checkKnown(names: ReadonlySet<string> | ReadonlyMap<string, unknown>, ref: string, what: string, path: KeyPath): void {
  if (!names.has(ref)) fail(path, `unknown ${what} "${ref}"`);
}
