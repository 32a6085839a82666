import { fsUrlEncode } from './url-encode.js';

/** An event as FreeSWITCH builds it: ordered headers (names unique) and an optional body. */
export class EslEvent {
  readonly headers: Array<[string, string]> = [];
  body: string | undefined;
  /** lower-cased name → value, built on the first lookup (filters look up every event per listener) */
  private index: Map<string, string> | undefined;
  /** the same with lower-cased values (case-insensitive filter matches without a string per listener) */
  private lowerIndex: Map<string, string> | undefined;
  private json: string | undefined;

  constructor(readonly name: string) {}

  add(name: string, value: string | number | boolean): this {
    this.headers.push([name, String(value)]);
    this.index = undefined;
    this.lowerIndex = undefined;
    this.json = undefined;
    return this;
  }

  get(name: string): string | undefined {
    if (!this.index) {
      this.index = new Map();
      for (const [k, v] of this.headers) {
        const l = k.toLowerCase();
        if (!this.index.has(l)) this.index.set(l, v);
      }
    }
    return this.index.get(name.toLowerCase());
  }

  /** `get` with the value lower-cased. */
  getLower(name: string): string | undefined {
    const key = name.toLowerCase();
    this.lowerIndex ??= new Map();
    let v = this.lowerIndex.get(key);
    if (v === undefined) {
      v = this.get(key)?.toLowerCase();
      if (v !== undefined) this.lowerIndex.set(key, v);
    }
    return v;
  }

  /** `text/event-json` body (spec §2.5): keys in event order, body as `Content-Length` + `_body`. */
  toJson(): string {
    if (this.json !== undefined) return this.json;
    const o: Record<string, string> = {};
    for (const [k, v] of this.headers) o[k] = v;
    if (this.body !== undefined) {
      o['Content-Length'] = String(Buffer.byteLength(this.body));
      o['_body'] = this.body;
    }
    this.json = JSON.stringify(o);
    return this.json;
  }

  /** `text/event-plain` block (spec §2.4), also the CHANNEL_DATA reply and uuid_dump body. */
  toPlain(extra: Array<[string, string]> = []): string {
    let s = '';
    for (const [k, v] of this.headers) s += `${k}: ${fsUrlEncode(v)}\n`;
    for (const [k, v] of extra) s += `${k}: ${fsUrlEncode(v)}\n`;
    if (this.body !== undefined) return `${s}Content-Length: ${Buffer.byteLength(this.body)}\n\n${this.body}`;
    return `${s}\n`;
  }
}
