import { fsUrlEncode } from './url-encode.js';
import { isIndexKey, jsonPairs } from './json-text.js';

/**
 * A frozen run of event headers — a channel's variables as `variable_*` — with its JSON and plain
 * renderings built once. Every event of the channel shares it until a variable really changes (the
 * owner then builds a new block; this one is never modified), so an event is only its own few
 * dozen headers plus a reference.
 */
export class HeaderBlock {
  private jsonText: string | undefined;
  private jsonBytes = 0;
  private plainText: string | undefined;
  private nameSet: Set<string> | undefined;
  private orderHazard: boolean | undefined;

  constructor(
    readonly names: readonly string[],
    readonly values: readonly string[],
  ) {}

  get length(): number {
    return this.names.length;
  }

  /** The value of `name` (exact), or undefined. */
  get(name: string): string | undefined {
    const i = this.names.indexOf(name);
    return i < 0 ? undefined : this.values[i];
  }

  /** whether `name` (exact) is one of the block's */
  has(name: string): boolean {
    this.nameSet ??= new Set(this.names);
    return this.nameSet.has(name);
  }

  /** a name a JS object would not keep in insertion order (see EslEvent.jsonBody) */
  get hasOrderHazard(): boolean {
    this.orderHazard ??= this.names.some((n) => isIndexKey(n) || n === '__proto__');
    return this.orderHazard;
  }

  /** `,"name":"value"` for each header (names are unique): appended to an event's own JSON. */
  json(): string {
    if (this.jsonText === undefined) {
      const s = jsonPairs(this.names, this.values);
      this.jsonBytes = Buffer.byteLength(s);
      this.jsonText = s;
    }
    return this.jsonText;
  }

  jsonByteLength(): number {
    this.json();
    return this.jsonBytes;
  }

  /** `name: url-encoded value\n` for each header (spec §2.4). */
  plain(): string {
    if (this.plainText === undefined) {
      let s = '';
      for (let i = 0; i < this.names.length; i++) s += `${this.names[i]!}: ${fsUrlEncode(this.values[i]!)}\n`;
      Buffer.byteLength(s);
      this.plainText = s;
    }
    return this.plainText;
  }
}
