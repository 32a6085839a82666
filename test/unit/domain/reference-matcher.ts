/**
 * A deliberately naive dial-string matcher for property tests: it interprets the pattern text
 * directly, by recursive backtracking, with no compilation and no knowledge that wildcards only
 * occur at the end.
 */
export function referenceMatches(pattern: string, text: string): boolean {
  return matchFrom(pattern, 0, text, 0);
}

function matchFrom(p: string, pi: number, t: string, ti: number): boolean {
  if (pi === p.length) return ti === t.length;
  const c = p[pi]!;
  if (c === '!') {
    for (let k = ti; k <= t.length; k++) if (matchFrom(p, pi + 1, t, k)) return true;
    return false;
  }
  if (c === '.') {
    for (let k = ti + 1; k <= t.length; k++) if (matchFrom(p, pi + 1, t, k)) return true;
    return false;
  }
  if (ti >= t.length) return false;
  const ch = t[ti]!;
  if (c === '[') {
    const close = p.indexOf(']', pi);
    const body = p.slice(pi + 1, close);
    return inSet(body, ch) && matchFrom(p, close + 1, t, ti + 1);
  }
  const ok = c === 'X' ? ch >= '0' && ch <= '9' : c === 'Z' ? ch >= '1' && ch <= '9' : c === 'N' ? ch >= '2' && ch <= '9' : ch === c;
  return ok && matchFrom(p, pi + 1, t, ti + 1);
}

function inSet(body: string, ch: string): boolean {
  for (let i = 0; i < body.length; i++) {
    if (body[i + 1] === '-' && i + 2 < body.length) {
      if (ch >= body[i]! && ch <= body[i + 2]!) return true;
      i += 2;
    } else if (body[i] === ch) {
      return true;
    }
  }
  return false;
}
