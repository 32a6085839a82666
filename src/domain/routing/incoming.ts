import type { Destination, IncomingLine, Tenant } from '../model.js';
import { isTimeSetActive } from '../schedule/time-set.js';

export type IncomingDecision =
  | { readonly action: 'local'; readonly extension: string; readonly line: string }
  | { readonly action: 'application'; readonly application: string; readonly line: string }
  | { readonly action: 'huntGroup'; readonly group: string; readonly line: string }
  | { readonly action: 'reject'; readonly status: number; readonly line?: string; readonly reason: 'hangup' | 'unknown-dnis' };

/**
 * Where a call from a carrier to `dnis` goes. An incoming line with a schedule uses `outsideSchedule`
 * when the time set is not active (or hangs up with 480 Temporarily Unavailable if none is given).
 * Night mode (toggled by feature code) closes every line that has an `outsideSchedule`, whatever
 * its schedule says; lines without one ring as usual. An unknown DNIS answers 404.
 */
export function routeIncoming(tenant: Tenant, dnis: string, at: number, nightMode = false): IncomingDecision {
  const line = findIncomingLine(tenant, dnis);
  if (line === undefined) return { action: 'reject', status: 404, reason: 'unknown-dnis' };
  const closedByNightMode = nightMode && line.outsideSchedule !== undefined;
  const inHours = !closedByNightMode && (line.schedule === undefined || isTimeSetActive(line.schedule, at));
  const dest: Destination = inHours ? line.destination : (line.outsideSchedule ?? { kind: 'hangup', status: 480 });
  switch (dest.kind) {
    case 'extension':
      return { action: 'local', extension: dest.extension, line: line.name };
    case 'application':
      return { action: 'application', application: dest.application, line: line.name };
    case 'huntGroup':
      return { action: 'huntGroup', group: dest.group, line: line.name };
    case 'hangup':
      return { action: 'reject', status: dest.status, line: line.name, reason: 'hangup' };
  }
}

/** Matches the DNIS as given, then without a leading `+` / `+1` (carriers differ in what they send). */
export function findIncomingLine(tenant: Tenant, dnis: string): IncomingLine | undefined {
  const candidates = [dnis, dnis.replace(/^\+/, ''), dnis.replace(/^\+?1/, '')];
  for (const c of candidates) {
    for (const line of tenant.incomingLines.values()) if (line.dnis === c) return line;
  }
  return undefined;
}
