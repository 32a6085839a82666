import type { Logger } from 'pino';
import type { Tenant, Trunk } from '../../domain/index.js';
import type { CallLimits, CallSlot } from '../limits/call-limits.js';
import type { AppEvents } from '../events/app-events.js';
import { MemoryTrunkServiceStore, type OutOfService, type TrunkServiceStore } from '../../store/trunk-service-store.js';

export type TrunkHealth = 'up' | 'down';

interface TrunkState {
  readonly tenant: string;
  /** the trunk as the configuration in force has it (a reload may change its limit) */
  trunk: Trunk;
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
 * Per-trunk health (from the watchdog, per process), call slots (from the call paths) and
 * out-of-service state (from the admin API, shared through `service`). A trunk nobody has pinged
 * yet is up. Trunks are read from the configuration in force, so a trunk added by a reload has its
 * slots at once. `maxCalls` is enforced by `CallLimits`, i.e. across every instance when Redis is
 * configured; `activeCalls` is this instance's share.
 */
export class TrunkRegistry {
  private readonly states = new Map<string, TrunkState>();

  constructor(
    private readonly tenants: () => ReadonlyMap<string, Tenant>,
    private readonly log: Logger,
    readonly limits: CallLimits,
    readonly service: TrunkServiceStore = new MemoryTrunkServiceStore(),
    readonly thresholds: TrunkThresholds = DEFAULT_THRESHOLDS,
    private readonly events?: AppEvents,
  ) {}

  /** The trunks of the configuration in force. */
  all(): TrunkStatus[] {
    const out: TrunkState[] = [];
    for (const t of this.tenants().values()) for (const name of t.trunks.keys()) out.push(this.stateOf(t.name, name)!);
    return out.map((s) => ({
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
    const s = this.stateOf(tenant, trunk);
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

  /**
   * The tenant's trunks an operator took out of service. A store that cannot be read takes none
   * out (logged): the admin state must not stop telephony.
   */
  async outOfService(tenant: string): Promise<ReadonlyMap<string, OutOfService>> {
    try {
      return await this.service.outOfService(tenant);
    } catch (err) {
      this.log.warn({ tenant, err: err instanceof Error ? err.message : String(err) }, 'trunk service state unreadable: every trunk treated as in service');
      return new Map();
    }
  }

  /** Logs that a call passed over a trunk because of the admin action that took it out of service. */
  skippedOutOfService(tenant: string, trunk: string, oos: OutOfService, emergency: boolean): void {
    this.log.info(
      { tenant, trunk, outOfServiceBy: oos.by, since: new Date(oos.since).toISOString(), ...(oos.reason !== undefined && { reason: oos.reason }) },
      emergency ? `trunk ${trunk} is out of service (admin): kept as a last resort for an emergency call` : `trunk ${trunk} is out of service (admin): skipped`,
    );
  }

  /** A ping result from the watchdog; logs state changes. */
  report(tenant: string, trunk: string, ok: boolean, detail: string): void {
    const s = this.stateOf(tenant, trunk);
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

  /** The state of a trunk of the configuration in force (created on first use), or of one a reload removed. */
  private stateOf(tenant: string, name: string): TrunkState | undefined {
    const k = key(tenant, name);
    const s = this.states.get(k);
    const current = this.tenants().get(tenant)?.trunks.get(name);
    if (s !== undefined) {
      if (current !== undefined) s.trunk = current;
      return s;
    }
    if (current === undefined) return undefined;
    const created: TrunkState = { tenant, trunk: current, health: 'up', failures: 0, successes: 0, activeCalls: 0, changedAt: Date.now() };
    this.states.set(k, created);
    return created;
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
