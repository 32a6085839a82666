import type { AppContext } from '../context.js';
import { TrunkRegistry } from '../trunks/trunk-registry.js';
import { TrunkWatchdog } from '../trunks/watchdog.js';
import type { CallRecordListener } from './call-record.js';
import { HotDeskLogins } from './hot-desk-logins.js';

/** Call-handling state that lives as long as the app: trunk health and limits, logins, listeners. */
export interface CallServices {
  readonly trunks: TrunkRegistry;
  readonly watchdog: TrunkWatchdog;
  readonly hotDesk: HotDeskLogins;
  /** Called with every finished call's record (tests, metrics). */
  readonly callListeners: CallRecordListener[];
}

// Keyed by context rather than added to AppContext, so call handling stays out of the shared file.
const byContext = new WeakMap<AppContext, CallServices>();

export function callServices(ctx: AppContext): CallServices {
  let s = byContext.get(ctx);
  if (s === undefined) {
    const log = ctx.log.child({ component: 'trunks' });
    const trunks = new TrunkRegistry(ctx.config.tenants.values(), log);
    s = { trunks, watchdog: new TrunkWatchdog(ctx.srf, trunks, log), hotDesk: new HotDeskLogins(), callListeners: [] };
    byContext.set(ctx, s);
  }
  return s;
}
