import type { Logger } from 'pino';
import type { Tenant, Trunk } from '../../domain/index.js';

export type TrunkHealth = 'up' | 'down';

interface TrunkState {
  readonly tenant: string;
  readonly trunk: Trunk;
  health: TrunkHealth;
  failures: number;
  successes: number;
  activeCalls: number;
  changedAt: number;
}

export interface TrunkStatus {
  tenant: string;
  trunk: string;
  health: TrunkHealth;
  activeCalls: number;
  maxCalls?: number;
  changedAt: number;
}

export interface TrunkThresholds {
  /** Consecutive failed pings before a trunk is marked down. */
  downAfter: number;
  /** Consecutive answered pings before a down trunk is up again. */
  upAfter: number;
}

export const DEFAULT_THRESHOLDS: TrunkThresholds = { downAfter: 2, upAfter: 2 };

/**
 * Per-trunk health (from the watchdog) and concurrent-call counts (from the call paths), in this
 * process. A trunk nobody has pinged yet is up. Counts are per instance: with several app
 * instances the limit applies per instance (documented limitation).
 */
export class TrunkRegistry {
  private readonly states = new Map<string, TrunkState>();

  constructor(
    tenants: Iterable<Tenant>,
    private readonly log: Logger,
    readonly thresholds: TrunkThresholds = DEFAULT_THRESHOLDS,
  ) {
    for (const t of tenants) {
      for (const trunk of t.trunks.values()) {
        this.states.set(key(t.name, trunk.name), { tenant: t.name, trunk, health: 'up', failures: 0, successes: 0, activeCalls: 0, changedAt: Date.now() });
      }
    }
  }

  all(): TrunkStatus[] {
    return [...this.states.values()].map((s) => ({
      tenant: s.tenant,
      trunk: s.trunk.name,
      health: s.health,
      activeCalls: s.activeCalls,
      ...(s.trunk.maxCalls !== undefined && { maxCalls: s.trunk.maxCalls }),
      changedAt: s.changedAt,
    }));
  }

  isUp(tenant: string, trunk: string): boolean {
    return this.states.get(key(tenant, trunk))?.health !== 'down';
  }

  /** Takes a call slot; false when the trunk is at its limit (emergency calls always get one). */
  acquire(tenant: string, trunk: string, emergency: boolean): boolean {
    const s = this.states.get(key(tenant, trunk));
    if (s === undefined) return false;
    if (!emergency && s.trunk.maxCalls !== undefined && s.activeCalls >= s.trunk.maxCalls) return false;
    s.activeCalls++;
    return true;
  }

  release(tenant: string, trunk: string): void {
    const s = this.states.get(key(tenant, trunk));
    if (s !== undefined && s.activeCalls > 0) s.activeCalls--;
  }

  /** A ping result from the watchdog; logs state changes. */
  report(tenant: string, trunk: string, ok: boolean, detail: string): void {
    const s = this.states.get(key(tenant, trunk));
    if (s === undefined) return;
    if (ok) {
      s.failures = 0;
      s.successes++;
      if (s.health === 'down' && s.successes >= this.thresholds.upAfter) this.change(s, 'up', detail);
    } else {
      s.successes = 0;
      s.failures++;
      if (s.health === 'up' && s.failures >= this.thresholds.downAfter) this.change(s, 'down', detail);
    }
  }

  private change(s: TrunkState, health: TrunkHealth, detail: string): void {
    s.health = health;
    s.changedAt = Date.now();
    const fields = { tenant: s.tenant, trunk: s.trunk.name, health, detail };
    if (health === 'down') this.log.warn(fields, `trunk ${s.trunk.name} is DOWN`);
    else this.log.info(fields, `trunk ${s.trunk.name} is up again`);
  }
}

function key(tenant: string, trunk: string): string {
  return `${tenant}\u0000${trunk}`;
}
