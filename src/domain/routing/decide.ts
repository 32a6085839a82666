import { outgoingCallerId } from '../dialplan/caller-id.js';
import { manipulateNumber } from '../dialplan/manipulation.js';
import { grants, type EffectiveCos } from '../cos/effective-cos.js';
import { resolveEffectiveCos } from '../cos/resolve.js';
import type { Destination, EmergencyLine, OutgoingLine, Tenant } from '../model.js';
import { cosRoots, emergencyIdentity, isServiceCaller, presentingExtension, type RouteCaller } from './caller.js';
import { screenOutgoing } from '../screening/screen.js';
import type { RejectReason, RouteDecision, RouteRule } from './decision.js';
import { tenantIndex, type TenantIndex } from './tenant-index.js';

export interface RouteRequest {
  readonly tenant: Tenant;
  /** A phone (device, hot-desk login) or a service caller such as an IVR with its own CoS. */
  readonly caller: RouteCaller;
  /** The dialled string (Request-URI user part). */
  readonly dialled: string;
  /** Epoch milliseconds (schedules are evaluated at this moment). */
  readonly at: number;
  /** A PIN the caller entered: elevates by "CoS by PIN code" and/or unlocks a PIN-protected line. */
  readonly pin?: string;
  /** Also list, for outbound routes, the lines outside the CoS that would have matched (dry runs). */
  readonly explain?: boolean;
}

/**
 * The routing decision of DOMAIN §5, first applicable rule wins:
 * 1 emergency, 2 banned prefixes, 3 feature codes, 4 local extensions (hunt groups, applications),
 * 5 outgoing lines in CoS order (then the caller's block lists and NCOS levels, administrator
 * first), 6 nothing: 403 if a line outside the CoS matches, else 404.
 */
export function decideRoute(req: RouteRequest): RouteDecision {
  const { tenant, caller, dialled } = req;
  const idx = tenantIndex(tenant);
  const pinCos = req.pin === undefined ? undefined : idx.cosByPin.get(req.pin);
  const cos = resolveEffectiveCos(tenant, cosRoots(caller, pinCos), req.at);
  const cosNames = cos.names;

  // 1. Emergency: the CoS's own lines first, then any emergency number of the tenant (never blocked).
  const ownEmergency = cos.emergencyByNumber.get(dialled);
  const emergency = ownEmergency ?? idx.emergencyByNumber.get(dialled);
  if (emergency !== undefined) {
    const why = ownEmergency !== undefined ? 'of the CoS' : 'of the tenant (emergency numbers are never blocked)';
    return emergencyRoute(emergency, caller, rule('emergency', `emergency line ${emergency.name} ${why}`, cosNames));
  }

  // 2. Banned prefixes, before any wildcard line could match.
  const banned = cos.banned.longestPrefixOf(dialled);
  if (banned !== undefined) {
    const r: RouteRule = {
      step: 'banned-prefix',
      detail: `prefix ${banned.prefix} is banned by list ${banned.list.name}`,
      cos: cosNames,
      bannedPrefix: banned.prefix,
      bannedList: banned.list.name,
    };
    return toDestination(tenant, banned.list.destination, r);
  }

  // 3. Feature codes.
  const feature = matchFeature(idx, dialled);
  if (feature !== undefined) {
    if (!grants(cos.services, feature.name)) {
      return reject(403, 'feature-not-in-cos', rule('feature', `feature ${feature.name} (${feature.code}) is not granted by the CoS`, cosNames));
    }
    return {
      action: 'feature',
      feature: feature.name,
      code: feature.code,
      argument: dialled.slice(feature.code.length),
      rule: rule('feature', `feature ${feature.name} (${feature.code})`, cosNames),
    };
  }

  // 4. Local extensions and applications (403, not 404, when the CoS does not grant them).
  const ext = tenant.extensions.get(dialled);
  if (ext !== undefined) {
    if (!grants(cos.localExtensions, ext.number)) {
      return reject(403, 'extension-not-in-cos', rule('local-extension', `extension ${ext.number} is not granted by the CoS`, cosNames));
    }
    return { action: 'local', extension: ext.number, rule: rule('local-extension', `local extension ${ext.number}`, cosNames) };
  }
  const group = idx.huntGroupByNumber.get(dialled);
  if (group !== undefined) {
    if (!grants(cos.localExtensions, group.number)) {
      return reject(403, 'extension-not-in-cos', rule('hunt-group', `hunt group ${group.name} (${group.number}) is not granted by the CoS`, cosNames));
    }
    return {
      action: 'huntGroup',
      group: group.name,
      rule: rule('hunt-group', `hunt group ${group.name} (${group.number}): ${group.members.map((m) => `${m.to} ${m.seconds}s`).join(', ')}`, cosNames),
    };
  }
  const app = idx.applicationByNumber.get(dialled);
  if (app !== undefined) {
    if (!grants(cos.applications, app.name)) {
      return reject(403, 'application-not-in-cos', rule('application', `application ${app.name} is not granted by the CoS`, cosNames));
    }
    return { action: 'application', application: app.name, kind: app.kind, rule: rule('application', `application ${app.name} (${app.kind})`, cosNames) };
  }

  // 5. Outgoing lines of the CoS, in its order.
  const patterns = cos.linePatterns;
  for (let i = 0; i < patterns.length; i++) {
    const entry = patterns[i]!;
    if (entry.pattern.matches(dialled)) return outboundRoute(req, entry.line, entry.pattern.source, cos);
  }

  // 6. Nothing in the CoS: a permission problem if a line outside it would have matched.
  const skipped = linesOutsideCosMatching(tenant, cos, dialled);
  if (skipped.length > 0) {
    return reject(403, 'line-not-in-cos', {
      step: 'no-match',
      detail: `no line of the CoS matches; ${skipped.join(', ')} would match but ${skipped.length === 1 ? 'is' : 'are'} not granted by the CoS`,
      cos: cosNames,
      skippedLines: skipped,
    });
  }
  return reject(404, 'no-route', rule('no-match', `nothing matches ${JSON.stringify(dialled)}`, cosNames));
}

function rule(step: RouteRule['step'], detail: string, cos: readonly string[]): RouteRule {
  return { step, detail, cos };
}

function reject(status: number, reason: RejectReason, r: RouteRule): RouteDecision {
  return { action: 'reject', status, reason, rule: r };
}

function matchFeature(idx: TenantIndex, dialled: string) {
  const exact = idx.featureByCode.get(dialled);
  if (exact !== undefined) return exact;
  for (const f of idx.argumentFeatures) {
    if (dialled.length > f.code.length && dialled.startsWith(f.code)) return f;
  }
  return undefined;
}

function emergencyRoute(line: EmergencyLine, caller: RouteCaller, r: RouteRule): RouteDecision {
  return {
    action: 'emergency',
    line: line.name,
    number: line.numberToDial,
    trunks: line.trunks.map((t) => t.name),
    record: line.record,
    callerId: emergencyIdentity(caller),
    privacy: false,
    rule: r,
  };
}

function toDestination(tenant: Tenant, dest: Destination, r: RouteRule): RouteDecision {
  switch (dest.kind) {
    case 'hangup':
      return reject(dest.status, 'banned-prefix', r);
    case 'extension':
      return { action: 'local', extension: dest.extension, rule: r };
    case 'huntGroup':
      return { action: 'huntGroup', group: dest.group, rule: r };
    case 'application': {
      const app = tenant.applications.get(dest.application);
      return app === undefined ? reject(403, 'banned-prefix', r) : { action: 'application', application: app.name, kind: app.kind, rule: r };
    }
  }
}

function outboundRoute(req: RouteRequest, line: OutgoingLine, pattern: string, cos: EffectiveCos): RouteDecision {
  const skippedLines = req.explain === true ? linesOutsideCosMatching(req.tenant, cos, req.dialled) : undefined;
  const detail = `line ${line.name} (dial string ${pattern}) is the first line of the CoS that matches`;
  if (line.pins.length > 0 && (req.pin === undefined || !line.pins.includes(req.pin))) {
    const reason = req.pin === undefined ? 'pin-required' : 'wrong-pin';
    const why = req.pin === undefined ? 'needs a PIN' : 'PIN does not match';
    return reject(403, reason, { step: 'line-pin', detail: `${detail}, but it ${why}`, cos: cos.names });
  }
  const number = manipulateNumber(req.dialled, line.manipulation);
  // 5b. Block lists and NCOS levels of the calling extension (DOMAIN §7, [004]): after the CoS found a line.
  const screened = isServiceCaller(req.caller) ? undefined : screenOutgoing(req.tenant, req.caller.hotDeskUser ?? req.caller.phone, [req.dialled, number]);
  if (screened !== undefined) {
    return reject(screened.status, screened.step === 'ncos' ? 'ncos-refused' : 'blocked-outgoing', { step: screened.step, detail: `${detail}, but ${screened.why}`, cos: cos.names });
  }
  return {
    action: 'outbound',
    line: line.name,
    groupId: line.groupId,
    number,
    trunks: line.trunks.map((t) => t.name),
    callerId: outgoingCallerId(presentingExtension(req.caller), line.callerId),
    privacy: line.callerId.presentation === 'restricted',
    rule: { step: 'outgoing-line', detail: detail + screeningNote(req), cos: cos.names, ...(skippedLines && { skippedLines }) },
  };
}

function linesOutsideCosMatching(tenant: Tenant, cos: EffectiveCos, dialled: string): string[] {
  const out: string[] = [];
  for (const line of tenant.outgoingLines) {
    if (!cos.lineSet.has(line) && line.patterns.some((p) => p.matches(dialled))) out.push(line.name);
  }
  return out;
}

/** For the dry run: which block lists and NCOS levels an outbound call passed. */
function screeningNote(req: RouteRequest): string {
  if (isServiceCaller(req.caller)) return '';
  const ext = req.caller.hotDeskUser ?? req.caller.phone;
  const passed = [
    req.tenant.blockLists?.outgoing && "the administrator's block list",
    ext.blockLists?.outgoing && `${ext.number}'s block list`,
    ext.ncos?.admin && `administrator NCOS ${ext.ncos.admin.name}`,
    ext.ncos?.user && `user NCOS ${ext.ncos.user.name}`,
  ].filter((x): x is string => typeof x === 'string');
  return passed.length === 0 ? '' : `; passed ${passed.join(', ')}`;
}
