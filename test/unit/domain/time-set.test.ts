import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TimeSetError } from '../../../src/domain/errors.js';
import { compileTimeSet, isTimeSetActive } from '../../../src/domain/schedule/time-set.js';

const utc = (iso: string): number => Date.parse(`${iso}Z`);

describe('DOMAIN §7 time sets [004]', () => {
  it('hours 08-17 means 08:00:00–17:59:59', () => {
    const s = compileTimeSet('office', 'UTC', [{ hours: '08-17' }]);
    expect(isTimeSetActive(s, utc('2024-03-12T07:59:59'))).toBe(false);
    expect(isTimeSetActive(s, utc('2024-03-12T08:00:00'))).toBe(true);
    expect(isTimeSetActive(s, utc('2024-03-12T17:59:59'))).toBe(true);
    expect(isTimeSetActive(s, utc('2024-03-12T18:00:00'))).toBe(false);
  });

  it('23-01 crosses midnight', () => {
    const s = compileTimeSet('night', 'UTC', [{ hours: '23-01' }]);
    expect(isTimeSetActive(s, utc('2024-03-12T22:59:59'))).toBe(false);
    expect(isTimeSetActive(s, utc('2024-03-12T23:00:00'))).toBe(true);
    expect(isTimeSetActive(s, utc('2024-03-13T00:30:00'))).toBe(true);
    expect(isTimeSetActive(s, utc('2024-03-13T01:59:59'))).toBe(true);
    expect(isTimeSetActive(s, utc('2024-03-13T02:00:00'))).toBe(false);
  });

  it('after office hours: Sat-Sun all day, Mon-Fri 18-07, Mon-Fri 08:00-08:29', () => {
    const s = compileTimeSet('after', 'UTC', [{ days: 'sat-sun' }, { days: 'mon-fri', hours: '18-07' }, { days: 'mon-fri', hours: '08', minutes: '00-29' }]);
    // 2024-03-12 is a Tuesday, 2024-03-16 a Saturday.
    expect(isTimeSetActive(s, utc('2024-03-16T12:00:00'))).toBe(true);
    expect(isTimeSetActive(s, utc('2024-03-12T07:59:00'))).toBe(true);
    expect(isTimeSetActive(s, utc('2024-03-12T08:29:59'))).toBe(true);
    expect(isTimeSetActive(s, utc('2024-03-12T08:30:00'))).toBe(false);
    expect(isTimeSetActive(s, utc('2024-03-12T17:59:59'))).toBe(false);
    expect(isTimeSetActive(s, utc('2024-03-12T18:00:00'))).toBe(true);
  });

  it('days wrap too: fri-mon is Friday to Monday', () => {
    const s = compileTimeSet('long-weekend', 'UTC', [{ days: 'fri-mon' }]);
    expect(isTimeSetActive(s, utc('2024-03-15T12:00:00'))).toBe(true); // Friday
    expect(isTimeSetActive(s, utc('2024-03-18T12:00:00'))).toBe(true); // Monday
    expect(isTimeSetActive(s, utc('2024-03-12T12:00:00'))).toBe(false); // Tuesday
  });

  it('the time zone decides: 08-17 in Toronto is 13:00-22:59 UTC in winter', () => {
    const s = compileTimeSet('office', 'America/Toronto', [{ hours: '08-17' }]);
    expect(isTimeSetActive(s, utc('2024-01-09T12:59:00'))).toBe(false);
    expect(isTimeSetActive(s, utc('2024-01-09T13:00:00'))).toBe(true);
    expect(isTimeSetActive(s, utc('2024-01-09T22:59:00'))).toBe(true);
    expect(isTimeSetActive(s, utc('2024-01-09T23:00:00'))).toBe(false);
  });

  it('matches a direct hour check for any instant and any (possibly wrapping) hour range', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 2_000_000_000_000 }), (a, b, at) => {
        const s = compileTimeSet('r', 'UTC', [{ hours: `${a}-${b}` }]);
        const h = new Date(at).getUTCHours();
        const expected = a <= b ? h >= a && h <= b : h >= a || h <= b;
        expect(isTimeSetActive(s, at)).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    [{ hours: '25' }, /outside 0-23/],
    [{ days: 'funday' }, /not a valid value/],
    [{ minutes: '10-' }, /not a valid value/],
  ])('rejects %j', (period, problem) => {
    expect(() => compileTimeSet('bad', 'UTC', [period])).toThrow(problem);
  });
  it('rejects an unknown time zone', () => {
    expect(() => compileTimeSet('bad', 'Mars/Olympus', [{ hours: '1' }])).toThrow(TimeSetError);
  });
});
