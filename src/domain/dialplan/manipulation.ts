/** How an outgoing line rewrites the dialled number for its trunk [001]. */
export interface NumberManipulation {
  /** Always stripped when present (e.g. `9`, `*67`); lines only match numbers that start with it. */
  readonly accessCode: string;
  /** Leading characters removed after the access code. */
  readonly strip: number;
  /** Prepended last (e.g. `+1`). */
  readonly prefix: string;
}

/**
 * Order per DOMAIN §4: remove the access code, strip N leading digits, prepend the prefix.
 * `dialled` must already have matched the line (so it starts with the access code).
 */
export function manipulateNumber(dialled: string, m: NumberManipulation): string {
  return m.prefix + dialled.slice(m.accessCode.length + m.strip);
}
