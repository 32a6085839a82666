import type { Logger } from 'pino';
import type { Tenant, Trunk } from '../../domain/index.js';
import type { CallLimits, CallSlot } from '../limits/call-limits.js';
import type { AppEvents } from '../events/app-events.js';

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
  /** calls through this trunk held by this instance */
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
 * Per-trunk health (from the watchdog, per process) and call slots (from the call paths). A
 * trunk nobody has pinged yet is up. `maxCalls` is enforced by `CallLimits`, i.e. across every
 * instance when Redis is configured; `activeCalls` is this instance's share.
 */
export class TrunkRegistry {
  private readonly states = new Map<string, TrunkState>();

  constructor(
    tenants: Iterable<Tenant>,
    private readonly log: Logger,
    readonly limits: CallLimits,
    readonly thresholds: TrunkThresholds = DEFAULT_THRESHOLDS,
    private readonly events?: AppEvents,
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

  /** Takes a call slot; undefined when the trunk is at its limit (emergency calls always get one). */
  async acquire(tenant: string, trunk: string, emergency: boolean): Promise<CallSlot | undefined> {
    const s = this.states.get(key(tenant, trunk));
    if (s === undefined) return undefined;
    const slot = await this.limits.trunk(tenant, trunk, s.trunk.maxCalls, emergency);
    if (slot === undefined) return undefined;
    s.activeCalls++;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        s.activeCalls--;
        slot.release();
      },
    };
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
    if (this.events?.listening) this.events.emit({ type: 'trunk.changed', ...fields, changedAt: new Date(s.changedAt).toISOString() });
  }
}

function key(tenant: string, trunk: string): string {
  return `${tenant}\u0000${trunk}`;
}
