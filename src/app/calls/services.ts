import type { AppContext } from '../context.js';
import type { Tenant } from '../../domain/index.js';
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

/**
 * Call-handling state that lives as long as the app: trunk health and limits, logins, listeners.
 * Built once by `startApplication` and handed to whoever needs it; nothing runs until `start`.
 */
export class CallServices {
  /** trunk health and trunk slots; `trunks.limits` also holds the tenants' limits */
  readonly trunks: TrunkRegistry;
  readonly watchdog: TrunkWatchdog;
  /** outbound registrations of trunks with `register` (one instance per trunk registers) */
  readonly registrations: TrunkRegistrations;
  /** tenant inbound slots of carrier calls in progress */
  readonly inboundSlots = new InboundSlots();
  /** calls in progress on this instance (the admin API lists them) */
  readonly calls: CallTable;
  /** Called with every finished call's record (tests, metrics, CDR). */
  readonly callListeners: CallRecordListener[];
  /** registrations and calls of the last minute, logged once a minute */
  readonly traffic: TrafficSummary;
  private stopping: Promise<void> | undefined;
  private readonly configs: AppContext['configs'];
  private readonly log: AppContext['log'];

  constructor(ctx: AppContext) {
    this.configs = ctx.configs;
    const log = ctx.log.child({ component: 'trunks' });
    this.log = log;
    const counters = createCallCounterStore(ctx.storeBackend, {
      // while the store is down its health has said so once; no line per renewal
      onRenewError: (err) => {
        if (ctx.storeHealth.usable) log.warn({ err: String(err) }, 'call slots not renewed in Redis (retrying); other instances may soon not count them');
      },
    });
    // both read the configuration in force: a trunk added by a reload has its slots at once
    const limits = new CallLimits(counters, () => ctx.config.tenants.values(), ctx.log.child({ component: 'limits' }));
    this.trunks = new TrunkRegistry(() => ctx.config.tenants, log, limits, createTrunkServiceStore(ctx.storeBackend), DEFAULT_THRESHOLDS, ctx.events);
    this.watchdog = new TrunkWatchdog(ctx.srf, this.trunks, log);
    this.registrations = new TrunkRegistrations(ctx.srf, ctx.config.tenants.values(), createLeaseStore(ctx.storeBackend), ctx.log.child({ component: 'trunk-registration' }));
    this.calls = new CallTable(undefined, ctx.events);
    this.traffic = new TrafficSummary(ctx.log.child({ component: 'summary' }), () => ({ store: ctx.storeHealth.state }));
    this.callListeners = [this.inboundSlots.onRecord, this.calls.onRecord, this.traffic.onRecord];
  }

  /**
   * Starts the trunk watchdog (OPTIONS pings of `tenants`' trunks), the trunk registrations and
   * the traffic summary. A REGISTER sent before the engine connection is up fails and is retried
   * with back-off. Both follow a configuration reload: trunks added are pinged and registered,
   * trunks removed no longer.
   */
  start(tenants: Iterable<Tenant>): void {
    this.watchdog.start(tenants);
    this.registrations.start();
    this.traffic.start();
    this.configs.onReplace((next) => {
      if (this.stopping) return;
      this.watchdog.follow(next.tenants.values());
      this.registrations.follow(next.tenants.values()).catch((err: unknown) => this.log.error({ err }, 'trunk registrations did not follow the reload'));
    });
  }

  /** Stops what `start` started and closes the limits' and trunk service's stores; idempotent. */
  stop(): Promise<void> {
    return (this.stopping ??= (async () => {
      this.watchdog.stop();
      this.traffic.stop();
      await this.registrations.stop();
      await this.trunks.limits.close();
      await this.trunks.service.close();
    })());
  }
}

/** Stops the call services (see `CallServices.stop`); idempotent. */
export function stopCallServices(services: CallServices): Promise<void> {
  return services.stop();
}
