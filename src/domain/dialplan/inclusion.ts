import type { DialPattern } from './pattern.js';

/**
 * True when every string `later` matches is also matched by `earlier`, i.e. `later` can never be
 * reached when `earlier` is tried first. Exact for this pattern language: fixed positions are
 * compared set by set, and a tail position (which can hold any character) is only covered by
 * a tail, since a fixed position never accepts every possible character.
 */
export function patternCovers(earlier: DialPattern, later: DialPattern): boolean {
  if (later.minLength < earlier.minLength || later.maxLength > earlier.maxLength) return false;
  if (earlier.fixedLength > later.fixedLength) return false;
  const a = earlier.table;
  const b = later.table;
  for (let k = 0; k < earlier.fixedLength * 128; k++) {
    if (b[k] === 1 && a[k] === 0) return false;
  }
  return true;
}
