// Character classes and small scanners shared by the SIP parsers (RFC 3261 §25.1).

const TOKEN = new Uint8Array(128);
for (let c = 0x30; c <= 0x39; c++) TOKEN[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) TOKEN[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) TOKEN[c] = 1;
for (const ch of "-.!%*_+`'~") TOKEN[ch.charCodeAt(0)] = 1;

export function isTokenCode(c: number): boolean {
  return c < 128 && TOKEN[c] === 1;
}

export function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (!isTokenCode(s.charCodeAt(i))) return false;
  return true;
}

export function isWs(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}

/** Trims SP/HT/CR/LF only (String#trim would also eat Unicode spaces that belong to values). */
export function trimLws(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isWs(s.charCodeAt(a))) a++;
  while (b > a && isWs(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

const WS = /[ \t\r\n]/;

/** Whether `s` holds SP, HT, CR or LF (a native scan: URIs of every name-addr go through here). */
export function hasWs(s: string): boolean {
  return WS.test(s);
}

export function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/**
 * Index just past the closing quote of the quoted-string opening at `start`
 * (which must be '"'), honouring quoted-pairs; -1 if it never closes.
 */
export function skipQuoted(s: string, start: number): number {
  const close = s.indexOf('"', start + 1);
  if (close < 0) return -1;
  const backslash = s.indexOf('\\', start + 1);
  if (backslash < 0 || backslash > close) return close + 1; // no quoted-pair: the first '"' closes
  for (let i = start + 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x5c) i++;
    else if (c === 0x22) return i + 1;
  }
  return -1;
}

/** The content of a quoted-string (`"a \\"b\\""` → `a "b"`): quotes removed, quoted-pairs resolved. */
export function unquote(q: string): string {
  const inner = q.slice(1, -1);
  if (inner.indexOf('\\') < 0) return inner;
  let out = '';
  for (let i = 1; i < q.length - 1; i++) {
    const ch = q[i] as string;
    if (ch === '\\' && i + 1 < q.length - 1) {
      out += q[i + 1] as string;
      i++;
    } else {
      out += ch;
    }
  }
  return out;
}

/**
 * Splits on `sep` characters that are outside quoted strings and angle brackets.
 * Pieces are LWS-trimmed; empty pieces are kept so callers can reject ",,".
 */
export function splitTopLevel(s: string, sep: number): string[] {
  const out: string[] = [];
  let from = 0;
  let angle = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22 && !angle) {
      const end = skipQuoted(s, i);
      if (end < 0) break;
      i = end - 1;
    } else if (c === 0x3c) angle = true;
    else if (c === 0x3e) angle = false;
    else if (c === sep && !angle) {
      out.push(trimLws(s.slice(from, i)));
      from = i + 1;
    }
  }
  out.push(trimLws(s.slice(from)));
  return out;
}

/** Digit string without leading zeros ('' stays '', '000' becomes '0'), so length bounds the value. */
export function stripLeadingZeros(digits: string): string {
  let i = 0;
  while (i < digits.length - 1 && digits.charCodeAt(i) === 0x30) i++;
  return i === 0 ? digits : digits.slice(i);
}

/** The values of a comma-separated header (Contact, Route, …) split at top-level commas, empty ones dropped. */
export function splitHeaderValues(value: string): string[] {
  if (value.indexOf(',') < 0) {
    const one = trimLws(value);
    return one.length === 0 ? [] : [one];
  }
  return splitTopLevel(value, 0x2c).filter((v) => v.length > 0);
}
