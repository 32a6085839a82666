import type { AppContext } from '../context.js';
import { createCallCounterStore } from '../../store/create-call-counter-store.js';
import { CallLimits } from '../limits/call-limits.js';
import { InboundSlots } from '../limits/inbound-slots.js';
import { createLeaseStore } from '../../store/lease-store.js';
import { TrunkRegistrations } from '../trunks/registrations.js';
import { DEFAULT_THRESHOLDS, TrunkRegistry } from '../trunks/trunk-registry.js';
import { TrunkWatchdog } from '../trunks/watchdog.js';
import { createTrunkServiceStore } from '../../store/trunk-service-store.js';
import type { CallRecordListener } from './call-record.js';
import { CallTable } from './call-table.js';
import { TrafficSummary } from '../traffic-summary.js';

/** Call-handling state that lives as long as the app: trunk health and limits, logins, listeners. */
export interface CallServices {
  /** trunk health and trunk slots; `trunks.limits` also holds the tenants' limits */
  readonly trunks: TrunkRegistry;
  readonly watchdog: TrunkWatchdog;
  /** outbound registrations of trunks with `register` (one instance per trunk registers) */
  readonly registrations: TrunkRegistrations;
  /** tenant inbound slots of carrier calls in progress */
  readonly inboundSlots: InboundSlots;
  /** calls in progress on this instance (the admin API lists them) */
  readonly calls: CallTable;
  /** Called with every finished call's record (tests, metrics, CDR). */
  readonly callListeners: CallRecordListener[];
  /** registrations and calls of the last minute, logged once a minute */
  readonly traffic: TrafficSummary;
}

// Keyed by context rather than added to AppContext, so call handling stays out of the shared file.
const byContext = new WeakMap<AppContext, CallServices>();

export function callServices(ctx: AppContext): CallServices {
  let s = byContext.get(ctx);
  if (s === undefined) {
    const log = ctx.log.child({ component: 'trunks' });
    const counters = createCallCounterStore(redisOf(ctx), {
      // while the store is down its health has said so once; no line per renewal
      onRenewError: (err) => {
        if (ctx.storeHealth.usable) log.warn({ err: String(err) }, 'call slots not renewed in Redis (retrying); other instances may soon not count them');
      },
    });
    // both read the configuration in force: a trunk added by a reload has its slots at once
    const limits = new CallLimits(counters, () => ctx.config.tenants.values(), ctx.log.child({ component: 'limits' }));
    const trunks = new TrunkRegistry(() => ctx.config.tenants, log, limits, createTrunkServiceStore(redisOf(ctx)), DEFAULT_THRESHOLDS, ctx.events);
    const inboundSlots = new InboundSlots();
    const registrations = new TrunkRegistrations(ctx.srf, ctx.config.tenants.values(), createLeaseStore(redisOf(ctx)), ctx.log.child({ component: 'trunk-registration' }));
    const calls = new CallTable(undefined, ctx.events);
    const traffic = new TrafficSummary(ctx.log.child({ component: 'summary' }), () => ({ store: ctx.storeHealth.state }));
    s = {
      trunks, watchdog: new TrunkWatchdog(ctx.srf, trunks, log), registrations, inboundSlots, calls, traffic,
      callListeners: [inboundSlots.onRecord, calls.onRecord, traffic.onRecord],
    };
    byContext.set(ctx, s);
  }
  return s;
}

/** Stops what call handling started (watchdog, slot renewals, Redis connections); idempotent. */
export async function stopCallServices(ctx: AppContext): Promise<void> {
  const s = byContext.get(ctx);
  if (s === undefined) return;
  byContext.delete(ctx);
  s.watchdog.stop();
  s.traffic.stop();
  await s.registrations.stop();
  await s.trunks.limits.close();
  await s.trunks.service.close();
}

function redisOf(ctx: AppContext): AppContext['storeBackend'] {
  return ctx.storeBackend;
}
