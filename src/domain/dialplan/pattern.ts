import { DialPatternError } from '../errors.js';

/**
 * Dial-string patterns [001]: X (0-9), Z (1-9), N (2-9), [sets with ranges], literals, and a final
 * `.` (one or more of anything) or `!` (zero or more of anything). A pattern matches the WHOLE
 * dialled string.
 *
 * A pattern compiles to a flat table: position i accepts character code c when
 * `table[i * 128 + c] === 1`. Matching is then one length check and one table read per character,
 * with no allocation. Pattern characters are restricted to printable ASCII; a dialled character
 * outside ASCII never matches a fixed position (it can still be swallowed by a tail wildcard).
 */
export type DialTail = 'none' | 'oneOrMore' | 'zeroOrMore';

const ALPHABET_SIZE = 128;

export interface DialPattern {
  /** The text this pattern was compiled from (including any literal prefix such as an access code). */
  readonly source: string;
  /** Number of fixed positions before the tail. */
  readonly fixedLength: number;
  readonly tail: DialTail;
  /** Shortest and longest string matched (`Infinity` when there is a tail). */
  readonly minLength: number;
  readonly maxLength: number;
  /** One row of 128 flags per fixed position. */
  readonly table: Uint8Array;
  matches(dialled: string): boolean;
}

const DIGIT_CLASS: Readonly<Record<string, string>> = { X: '0123456789', Z: '123456789', N: '23456789' };

/**
 * Compiles `pattern`. `literalPrefix` (e.g. an outgoing line's access code `9` or `*67`) is matched
 * character for character before the pattern, whatever it contains.
 */
export function compileDialPattern(pattern: string, literalPrefix = ''): DialPattern {
  const rows: Uint8Array[] = [];
  for (let i = 0; i < literalPrefix.length; i++) {
    rows.push(rowOf(literalPrefix[i]!, literalPrefix, i, true));
  }
  if (pattern.length === 0) throw new DialPatternError(pattern, 0, 'empty dial string');
  let tail: DialTail = 'none';
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i]!;
    if (ch === '.' || ch === '!') {
      if (i !== pattern.length - 1) {
        throw new DialPatternError(pattern, i, `wildcard "${ch}" is only allowed at the end`);
      }
      tail = ch === '.' ? 'oneOrMore' : 'zeroOrMore';
      i++;
    } else if (ch === '[') {
      const close = pattern.indexOf(']', i + 1);
      if (close < 0) throw new DialPatternError(pattern, i, 'unclosed "["');
      rows.push(setRow(pattern, i + 1, close));
      i = close + 1;
    } else if (ch === ']') {
      throw new DialPatternError(pattern, i, 'unexpected "]"');
    } else {
      const digits = DIGIT_CLASS[ch];
      rows.push(digits === undefined ? rowOf(ch, pattern, i, false) : rowOfAll(digits));
      i++;
    }
  }
  const fixedLength = rows.length;
  const table = new Uint8Array(fixedLength * ALPHABET_SIZE);
  rows.forEach((row, p) => table.set(row, p * ALPHABET_SIZE));
  const minLength = fixedLength + (tail === 'oneOrMore' ? 1 : 0);
  const maxLength = tail === 'none' ? fixedLength : Infinity;
  return {
    source: literalPrefix + pattern,
    fixedLength,
    tail,
    minLength,
    maxLength,
    table,
    matches: (dialled: string): boolean => {
      const len = dialled.length;
      if (len < minLength || len > maxLength) return false;
      for (let p = 0; p < fixedLength; p++) {
        const c = dialled.charCodeAt(p);
        if (c >= ALPHABET_SIZE || table[(p << 7) | c] === 0) return false;
      }
      return true;
    },
  };
}

function checkedCode(ch: string, pattern: string, at: number): number {
  const c = ch.charCodeAt(0);
  if (c <= 0x20 || c >= 0x7f) {
    throw new DialPatternError(pattern, at, `character ${JSON.stringify(ch)} is not printable ASCII`);
  }
  return c;
}

function rowOf(ch: string, pattern: string, at: number, literal: boolean): Uint8Array {
  if (!literal && (ch === 'x' || ch === 'z' || ch === 'n')) {
    throw new DialPatternError(pattern, at, `"${ch}" is not a wildcard: write "${ch.toUpperCase()}"`);
  }
  const row = new Uint8Array(ALPHABET_SIZE);
  row[checkedCode(ch, pattern, at)] = 1;
  return row;
}

function rowOfAll(chars: string): Uint8Array {
  const row = new Uint8Array(ALPHABET_SIZE);
  for (let k = 0; k < chars.length; k++) row[chars.charCodeAt(k)] = 1;
  return row;
}

/** Parses the inside of `[...]`, from `start` (after "[") to `end` (the "]"). */
function setRow(pattern: string, start: number, end: number): Uint8Array {
  if (start === end) throw new DialPatternError(pattern, start - 1, 'empty set "[]"');
  const row = new Uint8Array(ALPHABET_SIZE);
  let k = start;
  while (k < end) {
    const from = checkedCode(pattern[k]!, pattern, k);
    // "a-b" is a range; a "-" first or last in the set is itself.
    if (pattern[k + 1] === '-' && k + 2 < end) {
      const to = checkedCode(pattern[k + 2]!, pattern, k + 2);
      if (to < from) {
        throw new DialPatternError(pattern, k, `range "${pattern.slice(k, k + 3)}" runs backwards`);
      }
      for (let c = from; c <= to; c++) row[c] = 1;
      k += 3;
    } else {
      row[from] = 1;
      k++;
    }
  }
  return row;
}
