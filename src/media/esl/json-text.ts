// JSON text of header names and values, as JSON.stringify writes them, with less garbage.

/** a character JSON.stringify would escape: `"`, `\`, controls, lone surrogate halves */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A key a JS object would move to the front (an array index), so object order ≠ insertion order. */
export function isIndexKey(k: string): boolean {
  const c = k.charCodeAt(0);
  return c >= 0x30 && c <= 0x39 && /^(?:0|[1-9]\d{0,9})$/.test(k) && Number(k) < 4294967295;
}

/** Where `jsonPairs` writes (grown when an event needs more); one per thread, reused by every event. */
let scratch = Buffer.allocUnsafe(16 * 1024);

function room(at: number, more: number): void {
  if (at + more <= scratch.length) return;
  const bigger = Buffer.allocUnsafe(Math.max(scratch.length * 2, at + more));
  scratch.copy(bigger, 0, 0, at);
  scratch = bigger;
}

function putString(at: number, s: string): number {
  if (NEEDS_ESCAPE.test(s)) {
    const q = JSON.stringify(s);
    room(at, 3 * q.length);
    return at + scratch.write(q, at);
  }
  room(at, 3 * s.length + 2);
  scratch[at++] = 0x22;
  at += scratch.write(s, at);
  scratch[at++] = 0x22;
  return at;
}

/**
 * `,"name":"value"` for each pair, as one string. Written byte by byte into a scratch buffer and
 * decoded once, so the result is the only allocation (concatenating would leave a handful of
 * intermediate strings per header behind).
 */
export function jsonPairs(names: readonly string[], values: readonly string[]): string {
  let at = 0;
  for (let i = 0; i < names.length; i++) {
    room(at, 1);
    scratch[at++] = 0x2c;
    at = putString(at, names[i]!);
    room(at, 1);
    scratch[at++] = 0x3a;
    at = putString(at, values[i]!);
  }
  return at === 0 ? '' : scratch.toString('utf8', 0, at);
}
