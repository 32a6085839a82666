import { fsUrlEncode } from './url-encode.js';
import { isIndexKey, jsonString } from './json-text.js';
import type { HeaderBlock } from './header-block.js';

/** An event body in pieces (written to the socket one after the other) and its length in bytes. */
export interface EventBody {
  readonly parts: readonly string[];
  readonly bytes: number;
}

/** ASCII case-insensitive equality without building lower-cased copies. */
function sameIgnoringCase(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0x41 && x <= 0x5a) x += 0x20;
    if (y >= 0x41 && y <= 0x5a) y += 0x20;
    if (x !== y) return false;
  }
  return true;
}

function indexIn(names: readonly string[], name: string): number {
  for (let i = 0; i < names.length; i++) if (names[i] === name) return i;
  for (let i = 0; i < names.length; i++) if (sameIgnoringCase(names[i]!, name)) return i;
  return -1;
}

/**
 * An event as FreeSWITCH builds it: ordered headers (names unique), optionally followed by a shared
 * block of headers (the channel's variables, see HeaderBlock), and an optional body.
 */
export class EslEvent {
  private readonly names: string[] = [];
  private readonly values: string[] = [];
  private block: HeaderBlock | undefined;
  body: string | undefined;
  private json: EventBody | undefined;
  private plain: EventBody | undefined;

  constructor(readonly name: string) {}

  add(name: string, value: string | number | boolean): this {
    if (this.block) throw new Error('EslEvent: no header may follow the variable block');
    this.names.push(name);
    this.values.push(typeof value === 'string' ? value : String(value));
    this.json = undefined;
    this.plain = undefined;
    return this;
  }

  /** Appends a shared block of headers after those added so far (last: nothing is added after it). */
  addBlock(block: HeaderBlock): this {
    this.block = block;
    this.json = undefined;
    this.plain = undefined;
    return this;
  }

  /** Every header in order (the block's included); a copy, for the rare paths that need one. */
  get headers(): Array<[string, string]> {
    const out: Array<[string, string]> = this.names.map((n, i) => [n, this.values[i]!]);
    const b = this.block;
    if (b) for (let i = 0; i < b.length; i++) out.push([b.names[i]!, b.values[i]!]);
    return out;
  }

  /**
   * First header of that name, case-insensitively. A scan, not an index: an event is looked up a
   * handful of times (fan-out, each listener's filters) and an index of its hundred-odd headers
   * would be built for every event, all of it garbage a moment later.
   */
  get(name: string): string | undefined {
    const i = indexIn(this.names, name);
    if (i >= 0) return this.values[i];
    const b = this.block;
    if (!b) return undefined;
    const j = indexIn(b.names, name);
    return j < 0 ? undefined : b.values[j];
  }

  /** `get` with the value lower-cased (filters compare case-insensitively). */
  getLower(name: string): string | undefined {
    return this.get(name)?.toLowerCase();
  }

  /** `text/event-json` body (spec §2.5): keys in event order, body as `Content-Length` + `_body`. */
  toJson(): string {
    const b = this.jsonBody();
    return b.parts.length === 1 ? b.parts[0]! : b.parts.join('');
  }

  /**
   * The JSON body as pieces: the event's own headers, the shared block's cached fragment, `}`.
   * Same text as JSON.stringify of an object built header by header (a repeated name keeps its
   * first place and takes its last value); the rare events where an object would order keys
   * differently or where a body is attached are built that way.
   */
  jsonBody(): EventBody {
    if (this.json) return this.json;
    const names = this.names;
    const values = this.values;
    const block = this.block;
    if (this.body !== undefined) return (this.json = this.viaObject());
    let head = '{';
    for (let i = 0; i < names.length; i++) {
      const k = names[i]!;
      if (isIndexKey(k) || k === '__proto__' || (block && k.startsWith('variable_'))) return (this.json = this.viaObject());
      let seen = false;
      for (let j = 0; j < i && !seen; j++) seen = names[j] === k;
      if (seen) continue;
      let v = values[i]!;
      for (let j = i + 1; j < names.length; j++) if (names[j] === k) v = values[j]!;
      head += `${i === 0 ? '' : ','}${jsonString(k)}:${jsonString(v)}`;
    }
    if (!block || block.length === 0) {
      head += '}';
      return (this.json = { parts: [head], bytes: Buffer.byteLength(head) });
    }
    // with no own header the block's leading comma must go
    const tail = names.length === 0 ? block.json().slice(1) : block.json();
    return (this.json = { parts: [head, tail, '}'], bytes: Buffer.byteLength(head) + Buffer.byteLength(tail) + 1 });
  }

  private viaObject(): EventBody {
    const o: Record<string, string> = {};
    for (const [k, v] of this.headers) o[k] = v;
    if (this.body !== undefined) {
      o['Content-Length'] = String(Buffer.byteLength(this.body));
      o['_body'] = this.body;
    }
    const s = JSON.stringify(o);
    return { parts: [s], bytes: Buffer.byteLength(s) };
  }

  /** `text/event-plain` body (spec §2.4) as pieces: own headers, the block's cached text, the end. */
  plainBody(): EventBody {
    if (this.plain) return this.plain;
    const head = this.plainHead();
    const mid = this.block ? this.block.plain() : '';
    const end = this.plainEnd();
    return (this.plain = { parts: [head, mid, end], bytes: Buffer.byteLength(head) + Buffer.byteLength(mid) + Buffer.byteLength(end) });
  }

  /** The plain text with `extra` headers after the event's own (and the block), as the CHANNEL_DATA reply and uuid_dump body. */
  toPlain(extra: Array<[string, string]> = []): string {
    let x = '';
    for (const [k, v] of extra) x += `${k}: ${fsUrlEncode(v)}\n`;
    return this.plainHead() + (this.block ? this.block.plain() : '') + x + this.plainEnd();
  }

  private plainHead(): string {
    let head = '';
    for (let i = 0; i < this.names.length; i++) head += `${this.names[i]!}: ${fsUrlEncode(this.values[i]!)}\n`;
    return head;
  }

  private plainEnd(): string {
    return this.body !== undefined ? `Content-Length: ${Buffer.byteLength(this.body)}\n\n${this.body}` : '\n';
  }
}
