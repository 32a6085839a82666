/** One limit to check: the scope (e.g. a trunk) and its maximum (undefined = counted, never refused). */
export interface LimitCheck {
  readonly scope: string;
  readonly max?: number;
}

export type AcquireResult =
  | { readonly ok: true; readonly slot: string }
  /** `full` is the first scope that was at its maximum. */
  | { readonly ok: false; readonly full: string };

/**
 * Concurrent-call counters. A slot is taken in several scopes at once (e.g. a tenant's outbound
 * and total counts) only when every one is below its maximum; `force` (emergency) takes it anyway.
 * In Redis the counts are cluster-wide and a dead instance's slots expire on their own.
 */
export interface CallCounterStore {
  acquire(checks: readonly LimitCheck[], force: boolean): Promise<AcquireResult>;
  release(scopes: readonly string[], slot: string): Promise<void>;
  /** Current counts, in the order of `scopes`. */
  counts(scopes: readonly string[]): Promise<number[]>;
  close(): Promise<void>;
}

/** Per-process counters (no Redis configured): exact, and gone with the process. */
export class MemoryCallCounterStore implements CallCounterStore {
  private readonly slots = new Map<string, Set<string>>();
  private next = 0;

  async acquire(checks: readonly LimitCheck[], force: boolean): Promise<AcquireResult> {
    if (!force) {
      for (const c of checks) {
        if (c.max !== undefined && (this.slots.get(c.scope)?.size ?? 0) >= c.max) return { ok: false, full: c.scope };
      }
    }
    const slot = `m${++this.next}`;
    for (const c of checks) {
      let set = this.slots.get(c.scope);
      if (set === undefined) this.slots.set(c.scope, (set = new Set()));
      set.add(slot);
    }
    return { ok: true, slot };
  }

  async release(scopes: readonly string[], slot: string): Promise<void> {
    for (const scope of scopes) {
      const set = this.slots.get(scope);
      set?.delete(slot);
      if (set?.size === 0) this.slots.delete(scope);
    }
  }

  async counts(scopes: readonly string[]): Promise<number[]> {
    return scopes.map((s) => this.slots.get(s)?.size ?? 0);
  }

  async close(): Promise<void> {}
}
