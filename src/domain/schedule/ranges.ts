import { TimeSetError } from '../errors.js';

/**
 * A set of values of one calendar field (weekday, hour, ...), stored as flags indexed by value.
 * Ranges are inclusive and wrap [004]: hours `23-01` is {23, 0, 1}; hours `08-17` is 8..17, which
 * with minutes unrestricted means 08:00:00-17:59:59.
 */
export interface FieldRange {
  readonly min: number;
  readonly max: number;
  readonly flags: Uint8Array;
}

export interface FieldSpec {
  readonly field: string;
  readonly min: number;
  readonly max: number;
  /** Optional names for values (e.g. mon → 1). */
  readonly names?: Readonly<Record<string, number>>;
}

export const WEEKDAY_FIELD: FieldSpec = {
  field: 'days',
  min: 1,
  max: 7,
  names: {
    mon: 1,
    monday: 1,
    tue: 2,
    tuesday: 2,
    wed: 3,
    wednesday: 3,
    thu: 4,
    thursday: 4,
    fri: 5,
    friday: 5,
    sat: 6,
    saturday: 6,
    sun: 7,
    sunday: 7,
  },
};
export const HOUR_FIELD: FieldSpec = { field: 'hours', min: 0, max: 23 };
export const MINUTE_FIELD: FieldSpec = { field: 'minutes', min: 0, max: 59 };
export const MONTH_FIELD: FieldSpec = {
  field: 'months',
  min: 1,
  max: 12,
  names: {
    jan: 1,
    feb: 2,
    mar: 3,
    apr: 4,
    may: 5,
    jun: 6,
    jul: 7,
    aug: 8,
    sep: 9,
    oct: 10,
    nov: 11,
    dec: 12,
  },
};
export const MONTH_DAY_FIELD: FieldSpec = { field: 'monthDays', min: 1, max: 31 };

/** Parses a comma-separated list of values or inclusive, possibly wrapping, ranges: `mon-fri,sun`. */
export function parseFieldRange(spec: FieldSpec, text: string): FieldRange {
  const flags = new Uint8Array(spec.max + 1);
  const parts = text.split(',').map((p) => p.trim());
  if (parts.some((p) => p.length === 0)) throw new TimeSetError(spec.field, text, 'empty item in list');
  for (const part of parts) {
    const dash = part.indexOf('-');
    const from = valueOf(spec, text, dash < 0 ? part : part.slice(0, dash));
    const to = dash < 0 ? from : valueOf(spec, text, part.slice(dash + 1));
    for (let v = from; ; v = v === spec.max ? spec.min : v + 1) {
      flags[v] = 1;
      if (v === to) break;
    }
  }
  return { min: spec.min, max: spec.max, flags };
}

function valueOf(spec: FieldSpec, whole: string, token: string): number {
  const t = token.trim().toLowerCase();
  const named = spec.names?.[t];
  if (named !== undefined) return named;
  if (!/^\d{1,2}$/.test(t)) {
    throw new TimeSetError(spec.field, whole, `"${token}" is not a valid value`);
  }
  const n = Number(t);
  if (n < spec.min || n > spec.max) {
    throw new TimeSetError(spec.field, whole, `${n} is outside ${spec.min}-${spec.max}`);
  }
  return n;
}

export function rangeHas(range: FieldRange | undefined, value: number): boolean {
  return range === undefined || range.flags[value] === 1;
}
