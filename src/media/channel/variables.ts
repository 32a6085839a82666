/** Channel variables in insertion order, with FreeSWITCH's `${name}` / `$${global}` expansion. */
export class Variables {
  private readonly map = new Map<string, string>();

  constructor(private readonly globals: ReadonlyMap<string, string> = new Map()) {}

  get(name: string): string | undefined {
    return this.map.get(name);
  }

  set(name: string, value: string | undefined): void {
    if (value === undefined || value === '') this.map.delete(name);
    else this.map.set(name, value);
  }

  entries(): IterableIterator<[string, string]> {
    return this.map.entries();
  }

  /** Expands `$${g}` from globals and `${v}` from channel variables (unknown names expand to ''). */
  expand(text: string): string {
    if (!text.includes('$')) return text;
    return text
      .replace(/\$\$\{([^}]+)\}/g, (_m, n: string) => this.globals.get(n) ?? '')
      .replace(/\$\{([^}]+)\}/g, (_m, n: string) => this.map.get(n) ?? this.globals.get(n) ?? '');
  }

  /** Integer variable with a default. */
  int(name: string, dflt: number): number {
    const v = Number.parseInt(this.map.get(name) ?? '', 10);
    return Number.isFinite(v) ? v : dflt;
  }
}
