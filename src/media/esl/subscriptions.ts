import type { EslEvent } from './event.js';
import type { EventFormat } from './frames.js';

interface Filter {
  header: string;
  value: string;
  /** value lower-cased once (every event is compared with every listener's filters) */
  lower: string;
  regex?: RegExp;
  exclude: boolean;
}

/**
 * One listener's event subscriptions and filters with FreeSWITCH's rules (spec §2.6): cumulative,
 * case-insensitive names with an optional SWITCH_EVENT_ prefix, ALL, every token after CUSTOM is a
 * subclass; filters OR-ed, a `/` value is a regex, a `-` prefix excludes.
 */
export class Subscriptions {
  format: EventFormat = 'plain';
  private all = false;
  private readonly names = new Set<string>();
  private readonly subclasses = new Set<string>();
  private filters: Filter[] = [];
  private onlyExcludes = true;
  /** lower-cased Unique-ID when the include filters admit no other channel (outbound `myevents`):
   * the server then skips this listener for other channels' events without evaluating it */
  pinnedTo: string | undefined;

  /** `event …` tokens; returns false when there was no keyword. */
  add(tokens: string[]): boolean {
    const t = [...tokens];
    const f = t[0]?.toLowerCase();
    if (f === 'plain' || f === 'json' || f === 'xml') {
      this.format = f;
      t.shift();
    }
    if (t.length === 0) return false;
    let custom = false;
    for (const tok of t) {
      if (custom) {
        this.subclasses.add(tok);
        continue;
      }
      const name = normalise(tok);
      if (name === 'CUSTOM') custom = true;
      if (name === 'ALL') this.all = true;
      else this.names.add(name);
    }
    return true;
  }

  remove(tokens: string[]): void {
    let custom = false;
    for (const tok of tokens) {
      if (custom) {
        this.subclasses.delete(tok);
        continue;
      }
      const name = normalise(tok);
      if (name === 'CUSTOM') custom = true;
      if (name === 'ALL') this.clear();
      else this.names.delete(name);
    }
  }

  clear(): void {
    this.all = false;
    this.names.clear();
    this.subclasses.clear();
  }

  get active(): boolean {
    return this.all || this.names.size > 0 || this.subclasses.size > 0;
  }

  addFilter(header: string, value: string): void {
    const exclude = value.startsWith('-');
    const v = exclude ? value.slice(1) : value;
    let regex: RegExp | undefined;
    if (v.startsWith('/')) {
      try {
        regex = new RegExp(v.replace(/^\/|\/$/g, ''));
      } catch {
        regex = undefined;
      }
    }
    this.filters.push({ header, value: v, lower: v.toLowerCase(), exclude, ...(regex ? { regex } : {}) });
    this.filtersChanged();
  }

  /** Returns how many filters were removed. */
  deleteFilter(header: string, value?: string): number {
    const before = this.filters.length;
    if (header.toLowerCase() === 'all') this.filters = [];
    else this.filters = this.filters.filter((f) => !(f.header.toLowerCase() === header.toLowerCase() && (value === undefined || f.value === value)));
    this.filtersChanged();
    return before - this.filters.length;
  }

  private filtersChanged(): void {
    this.onlyExcludes = this.filters.every((f) => f.exclude);
    const includes = this.filters.filter((f) => !f.exclude);
    const first = includes[0];
    const pinned = first !== undefined && includes.every((f) => !f.regex && f.header.toLowerCase() === 'unique-id' && f.lower === first.lower);
    this.pinnedTo = pinned ? first.lower : undefined;
  }

  wants(ev: EslEvent): boolean {
    return this.wantsName(ev.name, ev.name === 'CUSTOM' ? ev.get('Event-Subclass') : undefined) && this.passesFilters(ev);
  }

  /** The subscription half of `wants` (filters aside): known before the event is built. */
  wantsName(name: string, subclass: string | undefined): boolean {
    if (this.all) return true;
    if (name === 'CUSTOM') return subclass !== undefined && subclass !== '' && this.subclasses.has(subclass);
    return this.names.has(name);
  }

  private passesFilters(ev: EslEvent): boolean {
    if (this.filters.length === 0) return true;
    let pass = false;
    const fs = this.filters;
    for (let i = 0; i < fs.length; i++) {
      const f = fs[i]!;
      const v = f.regex ? ev.get(f.header) : ev.getLower(f.header);
      if (v === undefined) continue;
      const eq = f.regex ? f.regex.test(v) : v === f.lower;
      if (f.exclude && eq) return false;
      if (!f.exclude && eq) pass = true;
    }
    return pass || this.onlyExcludes;
  }
}

function normalise(tok: string): string {
  const u = tok.toUpperCase();
  return u.startsWith('SWITCH_EVENT_') ? u.slice(13) : u;
}
