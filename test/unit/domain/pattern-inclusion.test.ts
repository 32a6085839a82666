import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { patternCovers } from '../../../src/domain/dialplan/inclusion.js';
import { compileDialPattern } from '../../../src/domain/dialplan/pattern.js';

const covers = (a: string, b: string): boolean => patternCovers(compileDialPattern(a), compileDialPattern(b));

describe('shadowing analysis: does an earlier pattern match everything a later one does?', () => {
  it('1NXXNXXXXXX! covers 1800NXXXXXX! (DOMAIN §5 precedence example), not the reverse', () => {
    expect(covers('1NXXNXXXXXX!', '1800NXXXXXX!')).toBe(true);
    expect(covers('1800NXXXXXX!', '1NXXNXXXXXX!')).toBe(false);
  });
  it('X. covers 011X. (011X must be defined before X. [000])', () => {
    expect(covers('X.', '011X.')).toBe(true);
  });
  it('tails: ! covers ., . does not cover ! nor an exact length equal to its fixed part', () => {
    expect(covers('1!', '1.')).toBe(true);
    expect(covers('1.', '1!')).toBe(false);
    expect(covers('1.', '1')).toBe(false);
    expect(covers('1.', '12')).toBe(true);
  });
  it('disjoint or partially overlapping patterns do not cover', () => {
    expect(covers('NXXNXXXXXX!', '011X.')).toBe(false);
    expect(covers('[2-8]11', '911')).toBe(false);
    expect(covers('NXX', 'NXXX')).toBe(false);
  });

  const token = fc.constantFrom('X', 'Z', 'N', '0', '1', '2', '9', '*', '[0-4]', '[5-9]', '[13]');
  const pattern = fc.tuple(fc.array(token, { minLength: 1, maxLength: 5 }), fc.constantFrom('', '.', '!')).map(([t, tail]) => t.join('') + tail);
  const text = fc.array(fc.constantFrom('0', '1', '2', '3', '5', '9', '*', '#'), { maxLength: 8 }).map((c) => c.join(''));

  it('is sound: when a covers b, every string b matches is matched by a', () => {
    fc.assert(
      fc.property(pattern, pattern, fc.array(text, { maxLength: 30 }), (a, b, strings) => {
        if (!covers(a, b)) return;
        const pa = compileDialPattern(a);
        const pb = compileDialPattern(b);
        for (const s of strings) if (pb.matches(s)) expect(pa.matches(s), `${a} ⊇ ${b} on ${s}`).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('every pattern covers itself', () => {
    fc.assert(fc.property(pattern, (p) => covers(p, p)));
  });
});
