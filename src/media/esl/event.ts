import { fsUrlEncode } from './url-encode.js';

/** An event as FreeSWITCH builds it: ordered headers (names unique) and an optional body. */
export class EslEvent {
  readonly headers: Array<[string, string]> = [];
  body: string | undefined;

  constructor(readonly name: string) {}

  add(name: string, value: string | number | boolean): this {
    this.headers.push([name, String(value)]);
    return this;
  }

  get(name: string): string | undefined {
    const lower = name.toLowerCase();
    for (const [k, v] of this.headers) if (k.toLowerCase() === lower) return v;
    return undefined;
  }

  /** `text/event-json` body (spec §2.5): keys in event order, body as `Content-Length` + `_body`. */
  toJson(): string {
    const o: Record<string, string> = {};
    for (const [k, v] of this.headers) o[k] = v;
    if (this.body !== undefined) {
      o['Content-Length'] = String(Buffer.byteLength(this.body));
      o['_body'] = this.body;
    }
    return JSON.stringify(o);
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
