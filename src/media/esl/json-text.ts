// JSON text of header names and values without JSON.stringify's per-call work for the common case.

/** a character JSON.stringify would escape: `"`, `\`, controls, lone surrogate halves */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** `s` as a JSON string literal, exactly as JSON.stringify(s) writes it. */
export function jsonString(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

/** A key a JS object would move to the front (an array index), so object order ≠ insertion order. */
export function isIndexKey(k: string): boolean {
  const c = k.charCodeAt(0);
  return c >= 0x30 && c <= 0x39 && /^(?:0|[1-9]\d{0,9})$/.test(k) && Number(k) < 4294967295;
}
