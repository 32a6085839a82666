import type Srf from 'drachtio-srf';
import { outgoingIdentityHeaders, shouldFailover, type PresentedIdentity, type Tenant, type Trunk, type TrunkAttemptOutcome } from '../../domain/index.js';
import type { TrunkRegistry } from '../trunks/trunk-registry.js';
import type { OutOfService } from '../../store/trunk-service-store.js';
import { trunkUri } from '../trunks/trunk-uri.js';
import type { AttemptRecord } from './call-record.js';
import type { RingingParty } from './caller-leg.js';
import { connect, type CallOutcome } from './fork.js';
import { identityHeader } from './identity.js';
import { UacLeg, type LegTarget } from './uac-leg.js';
import { reasonPhrase } from '../../sip/index.js';

export interface TrunkPlan {
  /** The manipulated number the carrier receives. */
  number: string;
  /** Trunk names in failover order. */
  trunks: readonly string[];
  identity: PresentedIdentity;
  privacy: boolean;
  /** Emergency calls ignore call limits and still try trunks the watchdog marked down, last. */
  emergency: boolean;
  /** Extra headers toward the carrier (e.g. Diversion of a forwarded call). */
  headers?: Readonly<Record<string, string>>;
  /** A hunt-group member: the callee rings this long, then the leg is cancelled (480, no failover). */
  ringTimeoutMs?: number;
}

export interface TrunkCallResult {
  outcome: CallOutcome;
  /** Frees the answered call's trunk slot; call when the call ends. */
  release(): void;
}

type AttemptEnd = { kind: 'answered'; dialog: Srf.Dialog } | { kind: 'failed'; outcome: TrunkAttemptOutcome; status: number; reason: string; noAnswer?: true };

/**
 * Outgoing B2BUA with failover (DOMAIN §6, §9): trunks in order, skipping down or full ones; the
 * next trunk is tried only when `shouldFailover` says the carrier (not the callee) failed and the
 * caller is still there. No first response within the trunk's `firstResponseTimeoutMs` counts as
 * a failure and that INVITE is cancelled.
 */
export async function callThroughTrunks(srf: Srf, registry: TrunkRegistry, tenant: Tenant, caller: RingingParty, plan: TrunkPlan, attempts: AttemptRecord[]): Promise<TrunkCallResult> {
  const noop = (): void => undefined;
  // the tenant's outbound slot is held for the whole call, whichever trunk carries it
  const tenantSlot = await registry.limits.tenant(tenant, 'outbound', plan.emergency);
  if (!tenantSlot.ok) {
    attempts.push({ target: `tenant:${tenantSlot.limit}`, outcome: 'limit' });
    return { outcome: { kind: 'failed', ...TENANT_LIMIT_ANSWER }, release: noop };
  }
  const result = await throughTrunks(srf, registry, tenant, caller, plan, attempts);
  if (result.outcome.kind === 'failed') {
    tenantSlot.slot.release();
    return result;
  }
  return {
    outcome: result.outcome,
    release: () => {
      result.release();
      tenantSlot.slot.release();
    },
  };
}

/**
 * What a caller hears when the tenant is at its concurrent-call limit: 486 Busy Here, as a PBX
 * with all its channels in use answers (FreeSWITCH `limit`, Asterisk GROUP_COUNT → Busy). Not 503
 * with Retry-After: a carrier or proxy would take that as "this whole server is down" and stop
 * sending every call for that long.
 */
export const TENANT_LIMIT_ANSWER = { status: 486, reason: 'Busy Here (call limit)' } as const;

async function throughTrunks(srf: Srf, registry: TrunkRegistry, tenant: Tenant, caller: RingingParty, plan: TrunkPlan, attempts: AttemptRecord[]): Promise<TrunkCallResult> {
  const noop = (): void => undefined;
  const order = orderTrunks(registry, tenant, plan, attempts, await registry.outOfService(tenant.name));
  let last: { status: number; reason: string } | undefined;
  for (const trunk of order) {
    if (caller.gone) return { outcome: { kind: 'failed', status: 487 }, release: noop };
    const slot = await registry.acquire(tenant.name, trunk.name, plan.emergency);
    if (slot === undefined) {
      attempts.push({ target: trunk.name, outcome: 'limit' });
      continue;
    }
    if (caller.gone) {
      slot.release();
      return { outcome: { kind: 'failed', status: 487 }, release: noop };
    }
    const end = await attempt(srf, tenant, trunk, caller, plan);
    if (end.kind === 'failed' && end.noAnswer === true) {
      slot.release();
      attempts.push({ target: trunk.name, outcome: 'no-answer' });
      return { outcome: { kind: 'failed', status: 480, noAnswer: true }, release: noop };
    }
    if (end.kind === 'answered') {
      attempts.push({ target: trunk.name, outcome: 200 });
      const outcome = await connect(caller, end.dialog);
      if (outcome.kind === 'failed') slot.release();
      return { outcome, release: () => slot.release() };
    }
    slot.release();
    const o = end.outcome;
    attempts.push({
      target: trunk.name,
      outcome: o.kind === 'response' ? o.status : o.kind,
      ...(o.kind === 'response' && o.earlyMedia === true && { earlyMedia: true }),
    });
    if (caller.gone) return { outcome: { kind: 'failed', status: 487 }, release: noop };
    if (!shouldFailover(trunk, o)) return { outcome: { kind: 'failed', status: end.status, reason: end.reason }, release: noop };
    if (o.kind === 'response') last = { status: end.status, reason: end.reason };
  }
  return { outcome: { kind: 'failed', status: last?.status ?? 503, ...(last && { reason: last.reason }) }, release: noop };
}

/**
 * Up trunks in order; down and out-of-service ones are recorded as skipped (emergency: appended
 * as a last resort).
 */
function orderTrunks(registry: TrunkRegistry, tenant: Tenant, plan: TrunkPlan, attempts: AttemptRecord[], outOfService: ReadonlyMap<string, OutOfService>): Trunk[] {
  const up: Trunk[] = [];
  const down: Trunk[] = [];
  for (const name of plan.trunks) {
    const trunk = tenant.trunks.get(name);
    if (trunk === undefined) continue;
    const oos = outOfService.get(name);
    if (oos !== undefined) {
      down.push(trunk);
      attempts.push({ target: name, outcome: 'out-of-service' });
      registry.skippedOutOfService(tenant.name, name, oos, plan.emergency);
    } else if (registry.isUp(tenant.name, name)) up.push(trunk);
    else {
      down.push(trunk);
      attempts.push({ target: name, outcome: 'trunk-down' });
    }
  }
  return plan.emergency ? [...up, ...down] : up;
}

/** One INVITE to one trunk; the leg's own timers bound the first response and, for a hunt-group member, the ring time. */
async function attempt(srf: Srf, tenant: Tenant, trunk: Trunk, caller: RingingParty, plan: TrunkPlan): Promise<AttemptEnd> {
  let earlyMedia = false;
  const leg = new UacLeg(
    srf,
    trunkTarget(tenant, trunk, plan, caller.offer),
    {
      onProvisional: (status, reason, sdp) => {
        if (sdp !== undefined) earlyMedia = true;
        caller.progress(status, reason, sdp);
      },
    },
    {
      firstResponseTimeoutMs: trunk.firstResponseTimeoutMs,
      ...(plan.ringTimeoutMs !== undefined && { ringTimeoutMs: plan.ringTimeoutMs }),
    },
  );
  caller.onCancel(() => leg.abandon());
  const r = await leg.result;
  if (r.kind === 'answered') return { kind: 'answered', dialog: r.dialog };
  if (r.timer === 'first-response') return { kind: 'failed', outcome: { kind: 'timeout' }, status: 408, reason: reasonPhrase(408) };
  if (r.timer === 'no-answer') return { kind: 'failed', outcome: { kind: 'response', status: 480, earlyMedia }, status: 480, reason: 'No Answer', noAnswer: true };
  const outcome: TrunkAttemptOutcome = r.local ? { kind: 'transport-error' } : { kind: 'response', status: r.status, earlyMedia };
  return { kind: 'failed', outcome, status: r.status, reason: r.reason };
}

function trunkTarget(tenant: Tenant, trunk: Trunk, plan: TrunkPlan, sdp: string): LegTarget {
  const ids = outgoingIdentityHeaders(plan.identity, plan.privacy, trunk);
  const headers: Record<string, string> = {
    From: identityHeader(ids.from, tenant.domain),
    To: `<${trunkUri(trunk, plan.number).replace(/;transport=\w+$/, '')}>`,
  };
  if (ids.privacy !== undefined) headers['Privacy'] = ids.privacy;
  if (ids.assertedIdentity !== undefined) headers['P-Asserted-Identity'] = identityHeader(ids.assertedIdentity, tenant.domain);
  Object.assign(headers, plan.headers);
  return {
    uri: trunkUri(trunk, plan.number),
    headers,
    localSdp: sdp,
    ...(trunk.credentials !== undefined && { auth: { username: trunk.credentials.username, password: trunk.credentials.password } }),
  };
}
