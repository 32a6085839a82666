import { DateTime, IANAZone } from 'luxon';
import { TimeSetError } from '../errors.js';
import { HOUR_FIELD, MINUTE_FIELD, MONTH_DAY_FIELD, MONTH_FIELD, WEEKDAY_FIELD, parseFieldRange, rangeHas, type FieldRange } from './ranges.js';

/** One row of a time set: every given field must match; an absent field matches anything. */
export interface TimePeriodSpec {
  readonly days?: string;
  readonly hours?: string;
  readonly minutes?: string;
  readonly months?: string;
  readonly monthDays?: string;
}

export interface TimePeriod {
  readonly days?: FieldRange;
  readonly hours?: FieldRange;
  readonly minutes?: FieldRange;
  readonly months?: FieldRange;
  readonly monthDays?: FieldRange;
}

/** A named set of periods in one time zone; it is active when ANY period matches [004]. */
export interface TimeSet {
  readonly name: string;
  readonly timeZone: string;
  readonly periods: readonly TimePeriod[];
}

export function compileTimeSet(name: string, timeZone: string, specs: readonly TimePeriodSpec[]): TimeSet {
  if (!IANAZone.isValidZone(timeZone)) {
    throw new TimeSetError('timeZone', timeZone, 'unknown IANA time zone');
  }
  const periods = specs.map((s): TimePeriod => ({
    ...(s.days !== undefined && { days: parseFieldRange(WEEKDAY_FIELD, s.days) }),
    ...(s.hours !== undefined && { hours: parseFieldRange(HOUR_FIELD, s.hours) }),
    ...(s.minutes !== undefined && { minutes: parseFieldRange(MINUTE_FIELD, s.minutes) }),
    ...(s.months !== undefined && { months: parseFieldRange(MONTH_FIELD, s.months) }),
    ...(s.monthDays !== undefined && { monthDays: parseFieldRange(MONTH_DAY_FIELD, s.monthDays) }),
  }));
  return { name, timeZone, periods };
}

interface LocalParts {
  readonly weekday: number;
  readonly hour: number;
  readonly minute: number;
  readonly month: number;
  readonly day: number;
}

// Routing asks the same zone about the same minute over and over; converting with luxon each
// time would dominate a decision, so remember the last minute per zone.
const lastParts = new Map<string, { minute: number; parts: LocalParts }>();

function localParts(timeZone: string, atMillis: number): LocalParts {
  const minute = Math.floor(atMillis / 60_000);
  const cached = lastParts.get(timeZone);
  if (cached !== undefined && cached.minute === minute) return cached.parts;
  const dt = DateTime.fromMillis(atMillis, { zone: timeZone });
  const parts = { weekday: dt.weekday, hour: dt.hour, minute: dt.minute, month: dt.month, day: dt.day };
  lastParts.set(timeZone, { minute, parts });
  return parts;
}

export function isTimeSetActive(set: TimeSet, atMillis: number): boolean {
  const t = localParts(set.timeZone, atMillis);
  return set.periods.some((p) => rangeHas(p.days, t.weekday) && rangeHas(p.hours, t.hour) && rangeHas(p.minutes, t.minute) && rangeHas(p.months, t.month) && rangeHas(p.monthDays, t.day));
}
