import type Srf from 'drachtio-srf';
import type { AppContext } from '../context.js';
import type { Extension, Tenant } from '../../domain/index.js';
import { RegistrarError, splitContactHeader, type RegisterFacts, type RegisterOutcome } from '../registrar/index.js';
import { toTransport, type Binding } from '../../store/index.js';
import { authenticateDevice, type AuthenticatedDevice } from './device-auth.js';
import type { TrafficSummary } from '../traffic-summary.js';
import { headerOf, requestSource, userOfUri } from './request-facts.js';

/** REGISTER (RFC 3261 §10.3): authenticate the device, then let the registrar decide and store. */
export function registerHandler(ctx: AppContext, traffic: TrafficSummary) {
  return (req: Srf.SrfRequest, res: Srf.SrfResponse): void => {
    handleRegister(ctx, traffic, req, res).catch((err: unknown) => {
      ctx.log.error({ err, callId: req.get('Call-ID') }, 'REGISTER failed unexpectedly: 500');
      if (!res.finalResponseSent) res.send(500);
    });
  };
}

async function handleRegister(ctx: AppContext, traffic: TrafficSummary, req: Srf.SrfRequest, res: Srf.SrfResponse): Promise<void> {
  const device = await authenticateDevice(ctx, req, res);
  if (device === undefined) return;
  const source = requestSource(req);
  const facts = registerFacts(req, device, source);
  if (typeof facts === 'string') {
    traffic.registrationsRefused++;
    ctx.log.info({ ...logFields(device, source), outcome: 400, cause: facts }, 'REGISTER refused');
    res.send(400, facts, {});
    return;
  }
  let outcome: RegisterOutcome;
  try {
    outcome = await ctx.registrar.register(facts);
  } catch (err) {
    if (!(err instanceof RegistrarError)) throw err;
    traffic.registrationsFailed++;
    // while the store is known down its health logged the outage once: one line per REGISTER only at debug
    const level = ctx.storeHealth.usable ? 'warn' : 'debug';
    ctx.log[level]({ ...logFields(device, source), outcome: err.status, err: err.cause ?? err }, 'REGISTER failed: location store unavailable');
    res.send(err.status, err.reasonPhrase, { headers: err.headers });
    return;
  }
  if (outcome.kind === 'reject') {
    traffic.registrationsRefused++;
    ctx.log.info({ ...logFields(device, source), outcome: outcome.status, cause: outcome.reason }, 'REGISTER refused');
    res.send(outcome.status, outcome.reason, { headers: outcome.headers });
    return;
  }
  traffic.registrations++;
  // routine: debug only (the per-minute summary counts it); no fields are built when debug is off
  if (ctx.log.isLevelEnabled('debug')) {
    ctx.log.debug({ ...logFields(device, source), outcome: 200, contacts: outcome.contacts.length, added: outcome.added, removed: outcome.removed }, 'REGISTER accepted');
  }
  res.send(200, { headers: okHeaders(outcome) });
}

/** Built only when a line is logged (not a closure per REGISTER). */
function logFields(device: AuthenticatedDevice, source: ReturnType<typeof requestSource>): { extension: string; device: string; source: string } {
  return { extension: device.extension.number, device: device.deviceUser, source: `${source.transport}:${source.address}:${source.port}` };
}

function okHeaders(outcome: Extract<RegisterOutcome, { kind: 'ok' }>): Record<string, string> {
  if (outcome.contacts.length === 0) return {};
  // Expires for phones that ignore the Contact parameter: the soonest binding, so none lapses.
  const soonest = outcome.soonestExpires ?? 0;
  // One comma-separated Contact field (RFC 3261 §20.10): the embedded engine keeps only the
  // first Contact line an app sends in a response.
  return { Contact: outcome.contacts.join(', '), Expires: String(soonest) };
}

/** The registrar's view of a REGISTER; a string is the reason for a 400. */
function registerFacts(req: Srf.SrfRequest, device: AuthenticatedDevice, source: ReturnType<typeof requestSource>): RegisterFacts | string {
  const transport = toTransport(source.transport);
  if (transport === undefined) return `Unsupported transport ${source.transport}`;
  const cseq = Number.parseInt(headerOf(req, 'cseq') ?? '', 10);
  if (!Number.isFinite(cseq)) return 'Bad CSeq';
  const contactHeader = headerOf(req, 'contact') ?? '';
  const expires = headerOf(req, 'expires');
  const toUser = userOfUri(headerOf(req, 'to') ?? '');
  const userAgent = headerOf(req, 'user-agent');
  return {
    tenant: device.tenant.name,
    extension: device.extension.number,
    deviceUser: device.deviceUser,
    ...(toUser !== undefined && { toUser }),
    contacts: splitContactHeader(contactHeader),
    ...(expires !== undefined && { expires }),
    callId: headerOf(req, 'call-id') ?? '',
    cseq,
    source: { address: source.address, port: source.port, transport },
    ...(userAgent !== undefined && { userAgent }),
  };
}

/**
 * Every reachable contact of every device of an extension, for call routing (parallel fork).
 * Each binding carries `source` (address/port/transport the REGISTER came from): send there, not
 * to the Contact host, which is often a private address behind NAT.
 */
export async function contactsOfExtension(ctx: AppContext, tenant: Tenant, extension: Extension | string): Promise<Binding[]> {
  return ctx.registrar.contactsOf(tenant.name, typeof extension === 'string' ? extension : extension.number);
}
