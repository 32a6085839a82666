// Generic ";name=value" parameter lists (RFC 3261 generic-param), used by Via, name-addr and getParam.
import { isToken, isTokenCode, skipQuoted, splitTopLevel, trimLws } from './lex.js';

export type ParamMap = Map<string, string | null>;

function isParamValue(v: string): boolean {
  if (v.length === 0) return false;
  if (v.charCodeAt(0) === 0x22) return skipQuoted(v, 0) === v.length;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    // token, or host incl. IPv6 reference
    if (!isTokenCode(c) && c !== 0x5b && c !== 0x5d && c !== 0x3a) return false;
  }
  return true;
}

/**
 * Parses text that is empty or starts with ';'. Names are lower-cased (they are
 * case-insensitive); values are kept as written. Empty elements (";;") are an error.
 */
export function parseParams(text: string): ParamMap | undefined {
  const params: ParamMap = new Map();
  const t = trimLws(text);
  if (t.length === 0) return params;
  if (t.charCodeAt(0) !== 0x3b) return undefined;
  const parts = splitTopLevel(t.slice(1), 0x3b);
  for (const part of parts) {
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : trimLws(part.slice(0, eq))).toLowerCase();
    if (!isToken(name)) return undefined;
    if (eq < 0) {
      params.set(name, null);
    } else {
      const value = trimLws(part.slice(eq + 1));
      if (!isParamValue(value)) return undefined;
      params.set(name, value);
    }
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

/** Value of header parameter `name` ('' when present without value), e.g. the tag of a From value. */
export function getParam(headerValue: string, name: string): string | undefined {
  const start = paramStart(headerValue);
  if (start < 0) return undefined;
  const want = name.toLowerCase();
  const parts = splitTopLevel(headerValue.slice(start), 0x3b);
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i] as string;
    const eq = part.indexOf('=');
    const pname = trimLws(eq < 0 ? part : part.slice(0, eq)).toLowerCase();
    if (pname === want) return eq < 0 ? '' : trimLws(part.slice(eq + 1));
  }
  return undefined;
}
