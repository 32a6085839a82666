// Generic ";name=value" parameter lists (RFC 3261 generic-param), used by Via, name-addr and getParam.
import { isWs, skipQuoted, trimLws } from './lex.js';

export type ParamMap = Map<string, string | null>;

// Runs of token characters, and of a param value's (token, or host incl. IPv6 reference: '[', ']', ':').
const TOKEN_RUN = /[-.!%*_+`'~A-Za-z0-9]*/y;
const VALUE_RUN = /[-.!%*_+`'~A-Za-z0-9[\]:]*/y;

/** End of the run of `run`'s characters starting at `i` (a native scan). */
function runEnd(run: RegExp, s: string, i: number): number {
  run.lastIndex = i;
  run.test(s);
  return run.lastIndex;
}

function skipWs(s: string, i: number): number {
  while (i < s.length && isWs(s.charCodeAt(i))) i++;
  return i;
}

/**
 * Parses `text` from `start` on, which is empty or starts with ';' (LWS around it and around '=' allowed). Names are
 * lower-cased (they are case-insensitive); values are kept as written, quotes included. Empty
 * elements (";;") are an error. One pass, no intermediate strings: every Via and name-addr
 * the engine reads goes through here.
 */
export function parseParams(text: string, start = 0): ParamMap | undefined {
  const params: ParamMap = new Map();
  let i = skipWs(text, start);
  const n = text.length;
  while (i < n) {
    if (text.charCodeAt(i) !== 0x3b) return undefined;
    i = skipWs(text, i + 1);
    const nameStart = i;
    i = runEnd(TOKEN_RUN, text, i);
    if (i === nameStart) return undefined;
    const name = text.slice(nameStart, i).toLowerCase();
    i = skipWs(text, i);
    if (text.charCodeAt(i) !== 0x3d) {
      params.set(name, null);
      continue;
    }
    i = skipWs(text, i + 1);
    const valueStart = i;
    if (text.charCodeAt(i) === 0x22) {
      i = skipQuoted(text, i);
      if (i < 0) return undefined;
    } else {
      i = runEnd(VALUE_RUN, text, i);
      if (i === valueStart) return undefined;
    }
    params.set(name, text.slice(valueStart, i));
    i = skipWs(text, i);
  }
  return params;
}

export function formatParams(params: ParamMap): string {
  let out = '';
  for (const [k, v] of params) out += v === null ? `;${k}` : `;${k}=${v}`;
  return out;
}

/** Offset where header parameters begin: after the last '>' if bracketed, else the first top-level ';'. */
function paramStart(value: string): number {
  let angleEnd = -1;
  let firstSemi = -1;
  const bracketed = value.indexOf('<') >= 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x22) {
      const end = skipQuoted(value, i);
      if (end < 0) return -1;
      i = end - 1;
    } else if (c === 0x3e) {
      angleEnd = i + 1;
    } else if (c === 0x3b && firstSemi < 0 && !bracketed) {
      firstSemi = i;
    }
  }
  if (angleEnd >= 0) return angleEnd;
  return firstSemi;
}

/** Whether s[a, b) equals `want` (lower case) ignoring ASCII case. */
function nameIs(s: string, a: number, b: number, want: string): boolean {
  if (b - a !== want.length) return false;
  for (let i = a; i < b; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0x80) return s.slice(a, b).toLowerCase() === want;
    if (c >= 0x41 && c <= 0x5a) c |= 0x20;
    if (c !== want.charCodeAt(i - a)) return false;
  }
  return true;
}

/** The value of the `;name[=value]` element s[a, b) when its name is `want` ('' for a flag). */
function valueIfNamed(s: string, a: number, b: number, want: string): string | undefined {
  while (a < b && isWs(s.charCodeAt(a))) a++;
  let eq = s.indexOf('=', a);
  if (eq >= b) eq = -1;
  let e = eq < 0 ? b : eq;
  while (e > a && isWs(s.charCodeAt(e - 1))) e--;
  if (!nameIs(s, a, e, want)) return undefined;
  return eq < 0 ? '' : trimLws(s.slice(eq + 1, b));
}

/**
 * Value of header parameter `name` ('' when present without value), e.g. the tag of a From value.
 * Elements are separated by ';' outside quoted strings and angle brackets; one pass, no arrays.
 */
export function getParam(headerValue: string, name: string): string | undefined {
  const start = paramStart(headerValue);
  if (start < 0) return undefined;
  const want = name.toLowerCase();
  const s = headerValue;
  const n = s.length;
  let angle = false;
  let element = -1; // start of the current element; -1 in the text before the first ';'
  let i = start;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 0x22 && !angle) {
      const end = skipQuoted(s, i);
      if (end < 0) break; // an unclosed quote: the rest is one element
      i = end;
      continue;
    }
    if (c === 0x3c) angle = true;
    else if (c === 0x3e) angle = false;
    else if (c === 0x3b && !angle) {
      if (element >= 0) {
        const v = valueIfNamed(s, element, i, want);
        if (v !== undefined) return v;
      }
      element = i + 1;
    }
    i++;
  }
  return element >= 0 ? valueIfNamed(s, element, n, want) : undefined;
}
