import { fsUrlEncode } from './url-encode.js';
import { isIndexKey, jsonPairs } from './json-text.js';
import { HeaderBlock } from './header-block.js';

/** An event body in pieces (written to the socket one after the other) and its length in bytes. */
export interface EventBody {
  readonly parts: readonly string[];
  readonly bytes: number;
}

/** Headers added to this event alone (a shared block is a HeaderBlock). */
class OwnHeaders {
  readonly names: string[] = [];
  readonly values: string[] = [];
}

type Segment = OwnHeaders | HeaderBlock;

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

function ownJson(o: OwnHeaders): string {
  return jsonPairs(o.names, o.values);
}

function ownPlain(o: OwnHeaders): string {
  let s = '';
  for (let i = 0; i < o.names.length; i++) s += `${o.names[i]!}: ${fsUrlEncode(o.values[i]!)}\n`;
  return s;
}

/**
 * An event as FreeSWITCH builds it: ordered headers (names unique) and an optional body. Runs of
 * headers may be shared blocks (a channel's variables, its state and caller profile: see
 * HeaderBlock) whose text is built once for every event that carries them.
 */
export class EslEvent {
  private readonly segments: Segment[] = [];
  private open: OwnHeaders | undefined;
  body: string | undefined;
  private json: EventBody | undefined;
  private plain: EventBody | undefined;

  constructor(readonly name: string) {}

  add(name: string, value: string | number | boolean): this {
    let o = this.open;
    if (!o) {
      o = new OwnHeaders();
      this.open = o;
      this.segments.push(o);
    }
    o.names.push(name);
    o.values.push(typeof value === 'string' ? value : String(value));
    this.json = undefined;
    this.plain = undefined;
    return this;
  }

  /** Appends a shared block of headers after those added so far. */
  addBlock(block: HeaderBlock): this {
    this.segments.push(block);
    this.open = undefined;
    this.json = undefined;
    this.plain = undefined;
    return this;
  }

  /** Every header in order; a copy, for the rare paths that need one. */
  get headers(): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    for (const s of this.segments) for (let i = 0; i < s.names.length; i++) out.push([s.names[i]!, s.values[i]!]);
    return out;
  }

  /**
   * First header of that name, case-insensitively. A scan, not an index: an event is looked up a
   * handful of times (fan-out, each listener's filters) and an index of its hundred-odd headers
   * would be built for every event, all of it garbage a moment later.
   */
  get(name: string): string | undefined {
    for (const s of this.segments) {
      const i = s.names.indexOf(name);
      if (i >= 0) return s.values[i];
    }
    for (const s of this.segments) for (let i = 0; i < s.names.length; i++) if (sameIgnoringCase(s.names[i]!, name)) return s.values[i];
    return undefined;
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
   * The JSON body as pieces: each run of own headers, each shared block's cached fragment. The
   * text is JSON.stringify's of an object built header by header; the rare events where that
   * object would differ from the header order (a repeated name keeps its first place and takes its
   * last value; array-index names go first) or that carry a body are built that way.
   */
  jsonBody(): EventBody {
    if (this.json) return this.json;
    if (this.body !== undefined || !this.plainlyOrdered()) return (this.json = this.viaObject());
    const parts: string[] = ['{'];
    let bytes = 2;
    for (const s of this.segments) {
      let text: string;
      if (s instanceof HeaderBlock) {
        text = s.json();
        bytes += s.jsonByteLength();
      } else {
        text = ownJson(s);
        bytes += Buffer.byteLength(text);
      }
      if (text === '') continue;
      if (parts.length === 1) {
        text = text.slice(1);
        bytes--;
      }
      parts.push(text);
    }
    parts.push('}');
    return (this.json = { parts, bytes });
  }

  /** No header name repeats and none is one an object would reorder. */
  private plainlyOrdered(): boolean {
    const segs = this.segments;
    for (let a = 0; a < segs.length; a++) {
      const s = segs[a]!;
      if (s instanceof HeaderBlock) {
        if (s.hasOrderHazard) return false;
        // a later block sharing a name with this one
        for (let b = a + 1; b < segs.length; b++) {
          const t = segs[b]!;
          if (t instanceof HeaderBlock) for (const n of t.names) if (s.has(n)) return false;
        }
        continue;
      }
      for (let i = 0; i < s.names.length; i++) {
        const k = s.names[i]!;
        if (isIndexKey(k) || k === '__proto__') return false;
        for (let j = i + 1; j < s.names.length; j++) if (s.names[j] === k) return false;
        for (let b = 0; b < segs.length; b++) {
          const t = segs[b]!;
          if (t === s) continue;
          if (t instanceof HeaderBlock ? t.has(k) : b > a && t.names.includes(k)) return false;
        }
      }
    }
    return true;
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

  /** `text/event-plain` body (spec §2.4) as pieces: each run's text (shared blocks' cached), then the end. */
  plainBody(): EventBody {
    if (this.plain) return this.plain;
    const parts: string[] = [];
    let bytes = 0;
    for (const s of this.segments) {
      const text = s instanceof HeaderBlock ? s.plain() : ownPlain(s);
      bytes += Buffer.byteLength(text);
      parts.push(text);
    }
    const end = this.plainEnd();
    parts.push(end);
    return (this.plain = { parts, bytes: bytes + Buffer.byteLength(end) });
  }

  /** The plain text with `extra` headers after the event's, as the CHANNEL_DATA reply and uuid_dump body. */
  toPlain(extra: Array<[string, string]> = []): string {
    let s = '';
    for (const seg of this.segments) s += seg instanceof HeaderBlock ? seg.plain() : ownPlain(seg);
    for (const [k, v] of extra) s += `${k}: ${fsUrlEncode(v)}\n`;
    return s + this.plainEnd();
  }

  private plainEnd(): string {
    return this.body !== undefined ? `Content-Length: ${Buffer.byteLength(this.body)}\n\n${this.body}` : '\n';
  }
}
