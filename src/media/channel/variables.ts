import { HeaderBlock } from '../esl/header-block.js';

/** Channel variables in insertion order, with FreeSWITCH's `${name}` / `$${global}` expansion. */
export class Variables {
  private readonly map = new Map<string, string>();
  /** the variables as `variable_*` event headers, until one really changes */
  private headers: HeaderBlock | undefined;

  constructor(private readonly globals: ReadonlyMap<string, string> = new Map()) {}

  get(name: string): string | undefined {
    return this.map.get(name);
  }

  set(name: string, value: string | undefined): void {
    if (value === undefined || value === '') {
      if (this.map.delete(name)) this.headers = undefined;
    } else if (this.map.get(name) !== value) {
      // a new name goes last and an existing one keeps its place (Map order), as the block will
      this.map.set(name, value);
      this.headers = undefined;
    }
  }

  /** Every variable as a `variable_<name>` header, in order; shared by events until a value changes. */
  asHeaders(): HeaderBlock {
    if (!this.headers) {
      const names: string[] = [];
      const values: string[] = [];
      for (const [k, v] of this.map) {
        names.push(`variable_${k}`);
        values.push(v);
      }
      this.headers = new HeaderBlock(names, values);
    }
    return this.headers;
  }

  entries(): IterableIterator<[string, string]> {
    return this.map.entries();
  }

  /** Expands `$${g}` from globals and `${v}` from channel variables (unknown names expand to ''). */
  expand(text: string): string {
    if (!text.includes('$')) return text;
    return text.replace(/\$\$\{([^}]+)\}/g, (_m, n: string) => this.globals.get(n) ?? '').replace(/\$\{([^}]+)\}/g, (_m, n: string) => this.map.get(n) ?? this.globals.get(n) ?? '');
  }

  /** Integer variable with a default. */
  int(name: string, dflt: number): number {
    const v = Number.parseInt(this.map.get(name) ?? '', 10);
    return Number.isFinite(v) ? v : dflt;
  }
}
