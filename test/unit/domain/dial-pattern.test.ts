import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileDialPattern } from '../../../src/domain/dialplan/pattern.js';
import { NAMED_DIAL_STRING_SETS } from '../../../src/domain/dialplan/named-sets.js';
import { DialPatternError } from '../../../src/domain/errors.js';
import { referenceMatches } from './reference-matcher.js';

const m = (pattern: string, dialled: string): boolean => compileDialPattern(pattern).matches(dialled);

describe('DOMAIN §3 dial-string tokens', () => {
  it('X matches one digit 0-9', () => {
    for (const d of '0123456789') expect(m('X', d)).toBe(true);
    expect(m('X', '*')).toBe(false);
    expect(m('X', '12')).toBe(false);
  });
  it('Z matches one digit 1-9', () => {
    expect(m('Z', '0')).toBe(false);
    expect(m('Z', '1')).toBe(true);
    expect(m('Z', '9')).toBe(true);
  });
  it('N matches one digit 2-9', () => {
    expect(m('N', '1')).toBe(false);
    expect(m('N', '2')).toBe(true);
    expect(m('N', '9')).toBe(true);
  });
  it('[1237-9] matches one character from the set, ranges allowed', () => {
    for (const d of '123789') expect(m('[1237-9]', d)).toBe(true);
    for (const d of '0456') expect(m('[1237-9]', d)).toBe(false);
  });
  it('. matches one or more of any character, only at the end', () => {
    expect(m('1.', '1')).toBe(false);
    expect(m('1.', '12')).toBe(true);
    expect(m('1.', '1*#+')).toBe(true);
    expect(() => compileDialPattern('1.2')).toThrow(DialPatternError);
  });
  it('! matches zero or more of any character, only at the end', () => {
    expect(m('1!', '1')).toBe(true);
    expect(m('1!', '1234')).toBe(true);
    expect(m('1!', '2')).toBe(false);
    expect(() => compileDialPattern('!1')).toThrow(/only allowed at the end/);
  });
  it('any other character (0-9 * # +) matches itself', () => {
    expect(m('*#+0', '*#+0')).toBe(true);
    expect(m('#', '#')).toBe(true);
    expect(m('*#+0', '*#+1')).toBe(false);
  });
  it('patterns match the whole dialled string, not a prefix or substring', () => {
    expect(m('911', '9110')).toBe(false);
    expect(m('911', '1911')).toBe(false);
    expect(m('NXXXXXX', '55512120')).toBe(false);
  });
});

describe('DOMAIN §3 worked examples [001]', () => {
  it('NXXXXXX matches a 7-digit local number', () => {
    expect(m('NXXXXXX', '5551212')).toBe(true);
    expect(m('NXXXXXX', '1551212')).toBe(false);
    expect(m('NXXXXXX', '555121')).toBe(false);
  });
  it('1NXXNXXXXXX matches an area code and number after 1', () => {
    expect(m('1NXXNXXXXXX', '19055551234')).toBe(true);
    expect(m('1NXXNXXXXXX', '9055551234')).toBe(false);
    expect(m('1NXXNXXXXXX', '11055551234')).toBe(false);
  });
  it('9011. matches 90115 and 9011441234 but not 9011', () => {
    expect(m('9011.', '90115')).toBe(true);
    expect(m('9011.', '9011441234')).toBe(true);
    expect(m('9011.', '9011')).toBe(false);
  });
  it('*67NXXNXXXXXX! matches *679055551234', () => {
    expect(m('*67NXXNXXXXXX!', '*679055551234')).toBe(true);
    expect(m('*67NXXNXXXXXX!', '*6719055551234')).toBe(false);
  });
  it('[2-8]11 matches 211..811, not 911 or 111', () => {
    for (const d of ['211', '311', '411', '511', '611', '711', '811']) expect(m('[2-8]11', d)).toBe(true);
    expect(m('[2-8]11', '911')).toBe(false);
    expect(m('[2-8]11', '111')).toBe(false);
  });
  it('101XXXX[01]XXXXXXX! is casual dial', () => {
    expect(m('101XXXX[01]XXXXXXX!', '101032119055551234')).toBe(true);
    expect(m('101XXXX[01]XXXXXXX!', '1010321290555')).toBe(false);
  });
  it('310XXXX! is business services', () => {
    expect(m('310XXXX!', '3101234')).toBe(true);
    expect(m('310XXXX!', '310123')).toBe(false);
  });
  it('1976XXXXXXX! and 1900XXXXXXX! are premium', () => {
    expect(m('1976XXXXXXX!', '19765551234')).toBe(true);
    expect(m('1900XXXXXXX!', '19005551234')).toBe(true);
    expect(m('1900XXXXXXX!', '18005551234')).toBe(false);
  });
  it('toll free is a named set: 1800NXXXXXX, 1844, 1855, 1866, 1877, 1888 (1 + 10 digits)', () => {
    const set = NAMED_DIAL_STRING_SETS.tollFree.map((p) => compileDialPattern(p));
    const any = (d: string): boolean => set.some((p) => p.matches(d));
    for (const area of ['800', '844', '855', '866', '877', '888']) expect(any(`1${area}5551234`)).toBe(true);
    expect(any('18335551234')).toBe(false);
    expect(any('180055512345')).toBe(false);
    expect(any('18001551234')).toBe(false);
  });
});

describe('pattern compiler errors', () => {
  it.each([
    ['', /empty/],
    ['[12', /unclosed/],
    ['12]', /unexpected "\]"/],
    ['[]', /empty set/],
    ['[9-2]', /backwards/],
    ['9x', /write "X"/],
    ['1 2', /printable ASCII/],
  ])('rejects %j', (pattern, problem) => {
    expect(() => compileDialPattern(pattern)).toThrow(problem);
  });
  it('names the pattern and the position', () => {
    try {
      compileDialPattern('12.3');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DialPatternError);
      expect((e as DialPatternError).position).toBe(2);
      expect((e as DialPatternError).message).toContain('"12.3"');
    }
  });
  it('a non-ASCII character never matches a fixed position (٣ is not the digit 3)', () => {
    expect(m('X', '٣')).toBe(false);
    expect(m('[0-9]', '٣')).toBe(false);
    expect(m('1!', '1٣')).toBe(true);
  });
  it('a literal prefix (access code) is matched literally, even X or N', () => {
    const p = compileDialPattern('NXX', 'X9');
    expect(p.matches('X9234')).toBe(true);
    expect(p.matches('19234')).toBe(false);
  });
});

const ALPHABET = ['0', '1', '2', '5', '9', '*', '#', '+'];
const fixedToken = fc.oneof(
  fc.constantFrom('X', 'Z', 'N', ...ALPHABET),
  fc.array(fc.oneof(fc.constantFrom(...ALPHABET), fc.constantFrom('0-3', '2-8', '5-9', '1-1')), { minLength: 1, maxLength: 3 }).map((items) => `[${items.join('')}]`),
);
const patternArb = fc.tuple(fc.array(fixedToken, { minLength: 1, maxLength: 8 }), fc.constantFrom('', '.', '!')).map(([tokens, tail]) => tokens.join('') + tail);
const dialledArb = fc.array(fc.constantFrom(...ALPHABET, '3', '7', '٣', 'é'), { maxLength: 11 }).map((cs) => cs.join(''));

describe('compiled matcher agrees with a backtracking reference matcher', () => {
  it('on random patterns and random strings', () => {
    fc.assert(
      fc.property(patternArb, fc.array(dialledArb, { minLength: 1, maxLength: 20 }), (pattern, strings) => {
        const compiled = compileDialPattern(pattern);
        for (const s of strings) expect(compiled.matches(s), `${pattern} vs ${s}`).toBe(referenceMatches(pattern, s));
      }),
      { numRuns: 2000 },
    );
  });
  it('on strings built to match (so positives are exercised too)', () => {
    fc.assert(
      fc.property(patternArb, fc.integer({ min: 0, max: 1_000_000 }), fc.string({ maxLength: 4 }), (pattern, seed, tail) => {
        const s = sampleMatching(pattern, seed) + (pattern.endsWith('.') || pattern.endsWith('!') ? tail : '');
        const compiled = compileDialPattern(pattern);
        expect(referenceMatches(pattern, s)).toBe(compiled.matches(s));
        if (!pattern.endsWith('.')) expect(compiled.matches(s)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

/** Builds a string that matches the fixed part of `pattern`, choosing characters from a seed. */
function sampleMatching(pattern: string, seed: number): string {
  let out = '';
  let n = seed;
  const pick = (chars: string): string => {
    const c = chars[n % chars.length]!;
    n = Math.floor(n / chars.length) + 7;
    return c;
  };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '.' || c === '!') break;
    if (c === 'X') out += pick('0123456789');
    else if (c === 'Z') out += pick('123456789');
    else if (c === 'N') out += pick('23456789');
    else if (c === '[') {
      const close = pattern.indexOf(']', i);
      const body = pattern.slice(i + 1, close);
      out += body[0] === '-' ? '-' : body[0];
      i = close;
    } else out += c;
  }
  return out;
}
