/**
 * Contact header values as a registrar needs them (RFC 3261 §20.10, §10.3; RFC 5626 params).
 * Without angle brackets, every `;param` after the URI is a header parameter, not a URI one.
 */
export type ParsedContact =
  | { star: true }
  | {
      star: false;
      uri: string;
      displayName?: string;
      /** Header parameters, names lower-cased, values unquoted (undefined for flags). */
      params: Map<string, string | undefined>;
    };

/** Splits a Contact header value holding several contacts at top-level commas. */
export function splitContactHeader(value: string): string[] {
  const out: string[] = [];
  let depthAngle = 0;
  let inQuotes = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (inQuotes) {
      if (ch === '\\') i++;
      else if (ch === '"') inQuotes = false;
    } else if (ch === '"') inQuotes = true;
    else if (ch === '<') depthAngle++;
    else if (ch === '>') depthAngle = Math.max(0, depthAngle - 1);
    else if (ch === ',' && depthAngle === 0) {
      out.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(value.slice(start).trim());
  return out.filter((s) => s.length > 0);
}

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\S/;

/** Undefined when the value is not a usable contact. */
export function parseContact(raw: string): ParsedContact | undefined {
  const value = raw.trim();
  if (value === '*') return { star: true };
  let uri: string;
  let displayName: string | undefined;
  let rest: string;
  const lt = indexOutsideQuotes(value, '<');
  if (lt >= 0) {
    const gt = value.indexOf('>', lt);
    if (gt < 0) return undefined;
    uri = value.slice(lt + 1, gt).trim();
    const name = value.slice(0, lt).trim();
    if (name) displayName = name.startsWith('"') && name.endsWith('"') && name.length >= 2 ? unquote(name) : name;
    rest = value.slice(gt + 1);
  } else {
    const semi = value.indexOf(';');
    uri = (semi < 0 ? value : value.slice(0, semi)).trim();
    rest = semi < 0 ? '' : value.slice(semi);
  }
  if (!SCHEME.test(uri) || /\s/.test(uri)) return undefined;
  const params = parseParams(rest);
  if (!params) return undefined;
  return displayName === undefined ? { star: false, uri, params } : { star: false, uri, displayName, params };
}

function parseParams(text: string): Map<string, string | undefined> | undefined {
  const params = new Map<string, string | undefined>();
  let s = text.trim();
  while (s.length > 0) {
    if (s[0] !== ';') return undefined;
    s = s.slice(1).trimStart();
    const m = /^([^=;\s]+)\s*(=\s*("(?:[^"\\]|\\.)*"|[^;\s]*))?\s*/.exec(s);
    if (!m) return undefined;
    const name = m[1]!.toLowerCase();
    const val = m[3];
    params.set(name, val === undefined ? undefined : val.startsWith('"') ? unquote(val) : val);
    s = s.slice(m[0].length);
  }
  return params;
}

function unquote(q: string): string {
  return q.slice(1, -1).replace(/\\(.)/g, '$1');
}

function indexOutsideQuotes(s: string, ch: string): number {
  let inQuotes = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inQuotes) {
      if (c === '\\') i++;
      else if (c === '"') inQuotes = false;
    } else if (c === '"') inQuotes = true;
    else if (c === ch) return i;
  }
  return -1;
}

/**
 * A comparison key for contact URIs, close enough to RFC 3261 §19.1.4 for binding matching:
 * scheme and host are case-insensitive, the user part is not, URI parameters are unordered
 * and compared case-insensitively.
 */
export function normaliseContactUri(uri: string): string {
  const colon = uri.indexOf(':');
  const scheme = uri.slice(0, colon).toLowerCase();
  const body = uri.slice(colon + 1);
  const qmark = body.indexOf('?');
  const noHeaders = qmark >= 0 ? body.slice(0, qmark) : body;
  const at = noHeaders.lastIndexOf('@');
  const user = at >= 0 ? noHeaders.slice(0, at + 1) : '';
  const [host = '', ...params] = noHeaders.slice(at + 1).split(';');
  const sorted = params.filter((p) => p.length > 0).map((p) => p.toLowerCase()).sort();
  return [`${scheme}:${user}${host.toLowerCase()}`, ...sorted].join(';');
}
