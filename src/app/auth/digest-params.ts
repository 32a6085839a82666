/**
 * Parsing of `Authorization` / `Proxy-Authorization` header values (RFC 3261 §25.1 auth grammar,
 * RFC 7616 §3.4). Tolerant of whitespace, quoted or unquoted values and mixed-case directive
 * names; strict about structure (a malformed value yields undefined, a repeated directive too).
 */
export interface ParsedCredentials {
  /** Lower-cased scheme, e.g. `digest`. */
  scheme: string;
  /** Directive names lower-cased; values unquoted and unescaped. */
  params: Map<string, string>;
}

// RFC 3261 token characters, as a lookup table: this parser runs on every authenticated request.
const TOKEN_CHAR = new Uint8Array(128);
for (const ch of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-.!%*_+`'~") TOKEN_CHAR[ch.charCodeAt(0)] = 1;

class Cursor {
  pos = 0;
  constructor(readonly text: string) {}
  skipSpace(): void {
    while (this.pos < this.text.length && isSpace(this.text.charCodeAt(this.pos))) this.pos++;
  }
  atEnd(): boolean {
    return this.pos >= this.text.length;
  }
  peek(): string {
    return this.text[this.pos] ?? '';
  }
  token(): string {
    const start = this.pos;
    while (this.pos < this.text.length && TOKEN_CHAR[this.text.charCodeAt(this.pos)] === 1) this.pos++;
    return this.text.slice(start, this.pos);
  }
  /** Reads a quoted-string starting at the opening quote; undefined if unterminated. */
  quoted(): string | undefined {
    this.pos++;
    const close = this.text.indexOf('"', this.pos);
    if (close < 0) return undefined;
    const simple = this.text.slice(this.pos, close);
    if (!simple.includes('\\')) {
      this.pos = close + 1;
      return simple;
    }
    let out = '';
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos++]!;
      if (ch === '"') return out;
      if (ch === '\\') {
        if (this.pos >= this.text.length) return undefined;
        out += this.text[this.pos++]!;
      } else {
        out += ch;
      }
    }
    return undefined;
  }
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0d || code === 0x0a;
}

/**
 * Parses one header value, which may hold several credentials when a stack joined repeated
 * headers with commas (`Digest a=1, b=2, Digest c=3`). Returns undefined when malformed.
 */
export function parseCredentialsList(value: string): ParsedCredentials[] | undefined {
  const cur = new Cursor(value);
  const out: ParsedCredentials[] = [];
  cur.skipSpace();
  while (!cur.atEnd()) {
    const scheme = cur.token();
    if (!scheme) return undefined;
    const params = new Map<string, string>();
    out.push({ scheme: scheme.toLowerCase(), params });
    cur.skipSpace();
    // Each iteration reads one directive, or stops at the start of the next scheme.
    for (;;) {
      if (cur.atEnd()) break;
      const mark = cur.pos;
      const name = cur.token();
      if (!name) return undefined;
      cur.skipSpace();
      if (cur.peek() !== '=') {
        if (params.size === 0) return undefined; // scheme with a bare token: not Digest syntax
        cur.pos = mark; // a new scheme begins
        break;
      }
      cur.pos++;
      cur.skipSpace();
      let val: string | undefined;
      if (cur.peek() === '"') {
        val = cur.quoted();
        if (val === undefined) return undefined;
      } else {
        val = cur.token();
        if (!val) return undefined;
      }
      const key = name.toLowerCase();
      if (params.has(key)) return undefined;
      params.set(key, val);
      cur.skipSpace();
      if (cur.atEnd()) break;
      if (cur.peek() !== ',') return undefined;
      cur.pos++;
      cur.skipSpace();
    }
  }
  return out;
}

/** Quotes a value for a quoted-string (RFC 3261 §25.1). */
export function quote(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
