import { fsUrlEncode } from './url-encode.js';

/** An event as FreeSWITCH builds it: ordered headers (names unique) and an optional body. */
export class EslEvent {
  readonly headers: Array<[string, string]> = [];
  body: string | undefined;
  /** lower-cased name → lower-cased value of the headers looked up so far (filters compare case-insensitively) */
  private lowerIndex: Map<string, string> | undefined;
  private json: string | undefined;

  constructor(readonly name: string) {}

  add(name: string, value: string | number | boolean): this {
    this.headers.push([name, String(value)]);
    this.lowerIndex = undefined;
    this.json = undefined;
    return this;
  }

  /**
   * First header of that name, case-insensitively. A scan, not an index: an event is looked up a
   * handful of times (fan-out, each listener's filters) and an index of its hundred-odd headers
   * would be built for every event, all of it garbage a moment later.
   */
  get(name: string): string | undefined {
    const l = name.toLowerCase();
    for (const [k, v] of this.headers) if (k.length === l.length && (k === name || k.toLowerCase() === l)) return v;
    return undefined;
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
