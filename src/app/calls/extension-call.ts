import type { Logger } from 'pino';
import {
  chooseForward,
  judgeForward,
  NO_SETTINGS,
  ringTimeoutSeconds,
  screenIncoming,
  type ChosenForward,
  type ExtensionSettings,
  type IncomingCaller,
  type PresentedIdentity,
  type Tenant,
} from '../../domain/index.js';
import type { AppContext } from '../context.js';
import type { AttemptRecord } from './call-record.js';
import type { RingingParty } from './caller-leg.js';
import type { CallOutcome } from './fork.js';
import { ringExtension, storeDownOutcome } from './local-call.js';
import { RegistrarError } from '../registrar/errors.js';
import type { CallServices } from './services.js';
import { callThroughTrunks, type TrunkCallResult } from './trunk-call.js';
import { huntGroupCall } from './hunt-call.js';
import { callerUser, toVoicemail, voicemailAvailable } from '../voicemail/leave-message.js';

/** Who called, for every leg the call creates (forwards present the original caller). */
export interface OriginalCaller {
  /** From header value for legs to devices. */
  from: string;
  /** Identity toward trunks when a forward leaves the tenant. */
  identity: PresentedIdentity;
  /** As the callees' incoming block lists judge the caller. */
  screening: IncomingCaller;
}

/** RFC 5806 reasons, by forward kind. */
const DIVERSION_REASON = { unconditional: 'unconditional', busy: 'user-busy', noAnswer: 'no-answer', unavailable: 'unavailable' } as const;

interface Hop {
  extension: string;
  forward: ChosenForward;
}

const noop = (): void => undefined;

/**
 * A call to an extension with its forwards [004] (DOMAIN §7, §9): the callee's incoming block
 * lists (administrator's first) may refuse the caller; then unconditional forwards (a `*72`
 * setting, else the configured one in its time set), DND as busy, nothing registered →
 * unavailable, then every device rings for the no-answer time (else the ring timeout); busy or no
 * answer deflect the call. Each forward is judged with the FORWARDER's CoS; an extension target
 * applies its own forwards in turn, loops and long chains end 482; `voicemail` is the forwarder's
 * mailbox. With no forward, the extension's mailbox (if any) takes the deflected call.
 */
export async function callExtensionWithForwards(
  ctx: AppContext,
  services: CallServices,
  caller: RingingParty,
  tenant: Tenant,
  extension: string,
  original: OriginalCaller,
  attempts: AttemptRecord[],
  log: Logger,
  hops: readonly Hop[] = [],
): Promise<TrunkCallResult> {
  const ext = tenant.extensions.get(extension);
  const failed = (status: number, reason?: string): TrunkCallResult => ({ outcome: { kind: 'failed', status, ...(reason && { reason }) }, release: noop });
  if (ext === undefined) return failed(404);
  const refused = screenIncoming(tenant, ext, original.screening);
  if (refused !== undefined) {
    log.info({ extension, status: refused.status, why: refused.why }, `call refused by a block list: ${refused.status}`);
    attempts.push({ target: `block list ${extension}`, outcome: refused.status });
    return failed(refused.status);
  }
  const settings = await settingsOf(ctx, tenant, extension, log);
  const at = Date.now();
  const deflect = (f: ChosenForward | undefined, otherwise: CallOutcome): Promise<TrunkCallResult> | TrunkCallResult =>
    caller.gone
      ? { outcome: otherwise, release: noop }
      : f === undefined
        ? toVoicemail(ctx, caller, tenant, extension, callerUser(original.from, original.identity.number), attempts, log, otherwise)
        : forward(ctx, services, caller, tenant, { extension, forward: f }, original, attempts, log, hops, otherwise);

  const unconditional = chooseForward(ext, settings, 'unconditional', at, original.screening);
  if (unconditional !== undefined) return deflect(unconditional, { kind: 'failed', status: 480 });
  if (settings.dnd) return deflect(chooseForward(ext, settings, 'busy', at, original.screening), { kind: 'failed', status: 486, reason: 'Do Not Disturb' });
  const noAnswer = chooseForward(ext, settings, 'noAnswer', at, original.screening);
  const ringMs = (noAnswer?.afterSeconds ?? (voicemailAvailable(ctx, ext) ? ext.voicemail?.afterSeconds : undefined) ?? ringTimeoutSeconds(tenant, ext)) * 1000;
  let outcome;
  try {
    outcome = await ringExtension(ctx, caller, tenant, extension, original.from, attempts, ringMs);
  } catch (err) {
    if (!(err instanceof RegistrarError)) throw err;
    log.info({ extension, status: err.status }, `call not placed: location store down and no binding of ${extension} known here`);
    return { outcome: storeDownOutcome(err), release: noop };
  }
  if (outcome === 'unregistered') return deflect(chooseForward(ext, settings, 'unavailable', at, original.screening), { kind: 'failed', status: 480 });
  if (outcome.kind === 'answered' || caller.gone) return { outcome, release: noop };
  if (outcome.noAnswer === true) return deflect(noAnswer, outcome);
  if (outcome.status === 486) return deflect(chooseForward(ext, settings, 'busy', Date.now(), original.screening), outcome);
  return { outcome, release: noop };
}

async function forward(
  ctx: AppContext,
  services: CallServices,
  caller: RingingParty,
  tenant: Tenant,
  hop: Hop,
  original: OriginalCaller,
  attempts: AttemptRecord[],
  log: Logger,
  hops: readonly Hop[],
  otherwise: CallOutcome,
): Promise<TrunkCallResult> {
  const forwarder = tenant.extensions.get(hop.extension)!;
  const chain = [...hops.map((h) => h.extension), hop.extension];
  const j = judgeForward(tenant, forwarder, hop.forward.to, Date.now(), chain);
  const fields = { forwarder: hop.extension, kind: hop.forward.kind, to: hop.forward.to, source: hop.forward.source };
  attempts.push({ target: `forward ${hop.forward.kind} ${hop.extension} → ${hop.forward.to}`, outcome: j.kind === 'refused' ? j.status : 'forwarded' });
  if (j.kind === 'refused') {
    log.info({ ...fields, status: j.status, why: j.why }, `call forward refused: ${j.status}`);
    return { outcome: { kind: 'failed', status: j.status }, release: noop };
  }
  log.info(fields, 'call forwarded');
  // without a media server the call ends as it would have without the forward
  if (j.kind === 'voicemail') return toVoicemail(ctx, caller, tenant, j.extension, callerUser(original.from, original.identity.number), attempts, log, otherwise);
  const next = [...hops, hop];
  if (j.kind === 'extension') return callExtensionWithForwards(ctx, services, caller, tenant, j.extension, original, attempts, log, next);
  if (j.kind === 'huntGroup') return huntGroupCall(ctx, services, caller, tenant, tenant.huntGroups.get(j.group)!, original, attempts, log, diversionHeader(tenant, next));
  const plan = {
    number: j.route.number,
    trunks: j.route.trunks,
    identity: original.identity,
    privacy: false,
    emergency: false,
    headers: { Diversion: diversionHeader(tenant, next) },
  };
  return callThroughTrunks(ctx.srf, services.trunks, tenant, caller, plan, attempts);
}

/** RFC 5806: the most recent diversion first, each with its reason and counter. */
export function diversionHeader(tenant: Tenant, hops: readonly Hop[]): string {
  return [...hops]
    .reverse()
    .map((h, i) => `<sip:${h.extension}@${tenant.domain}>;reason=${DIVERSION_REASON[h.forward.kind]};counter=${hops.length - i}`)
    .join(', ');
}

/** A store that cannot be read must not stop the call: it rings as if nothing were set. */
async function settingsOf(ctx: AppContext, tenant: Tenant, extension: string, log: Logger): Promise<ExtensionSettings> {
  try {
    return await ctx.settings.get(tenant.name, extension);
  } catch (err) {
    // while the store is known down its health has logged the outage once
    log[ctx.storeHealth.usable ? 'error' : 'debug']({ err, extension }, 'settings store unreadable: call rings without DND/forward settings');
    return NO_SETTINGS;
  }
}
