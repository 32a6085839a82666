import type { Binding, DeviceBindingChange, SourceAddress } from '../../store/location-store.js';
import { normaliseContactUri, parseContact } from './contact.js';
import { decideExpiry, parseDeltaSeconds, type ExpiryPolicy } from './expiry.js';
import { reasonPhrase } from '../../sip/index.js';

/**
 * The facts of one REGISTER, as a handler extracts them. The AOR is the device username: each
 * device (100, 100_2, …) registers itself, so "all bindings of the AOR" (RFC 3261 §10.3 step 8)
 * means the device's bindings. Calls to the extension gather every device through the store.
 */
export interface RegisterFacts {
  tenant: string;
  extension: string;
  deviceUser: string;
  /** User part of the To URI, when the handler has it: must be the authenticated device user. */
  toUser?: string;
  /** Contact header values, one contact each (use splitContactHeader on a joined value). */
  contacts: readonly string[];
  /** Raw Expires header, if any. */
  expires?: string | number;
  callId: string;
  cseq: number;
  source: SourceAddress;
  userAgent?: string;
}

export interface RegisterRules extends ExpiryPolicy {
  /** Above this, the device's soonest-expiring bindings are dropped to make room. */
  maxContactsPerDevice: number;
}

export type RegisterDecision =
  | { kind: 'reject'; status: 400 | 403 | 423 | 500; reason: string; headers: Record<string, string> }
  | {
      kind: 'apply';
      change: DeviceBindingChange;
      /** The device's bindings after the change (the 200 lists them). */
      bindings: Binding[];
    };

function reject(status: 400 | 403 | 423 | 500, reason: string, headers: Record<string, string> = {}): RegisterDecision {
  return { kind: 'reject', status, reason, headers };
}

/** RFC 3261 §10.3 steps 6–8 for one device, without I/O. `current` may hold grace-period records. */
export function decideRegistration(facts: RegisterFacts, current: readonly Binding[], rules: RegisterRules, now: number): RegisterDecision {
  // A device may only manage its own bindings, whoever it claims to register.
  if (facts.toUser !== undefined && facts.toUser !== facts.deviceUser) return reject(403, 'To does not match the authenticated user');
  const headerExpires = parseDeltaSeconds(facts.expires);
  const live = (bs: Iterable<Binding>) => [...bs].filter((b) => b.expiresAt > now);
  if (facts.contacts.length === 0) return { kind: 'apply', change: {}, bindings: live(current) };

  const parsed = facts.contacts.map(parseContact);
  if (parsed.some((c) => c?.star)) {
    if (parsed.length > 1) return reject(400, 'Contact * must be the only contact');
    if (headerExpires !== 0) return reject(400, 'Contact * requires Expires: 0');
    // Step 6: a binding of the same Call-ID may only be removed by a newer CSeq.
    if (current.some((b) => b.callId === facts.callId && facts.cseq <= b.cseq)) {
      return reject(500, 'Out-of-order CSeq', { 'Retry-After': '1' });
    }
    return { kind: 'apply', change: { removeAll: true }, bindings: [] };
  }

  const byId = new Map(current.map((b) => [b.bindingId, b]));
  const put = new Map<string, { binding: Binding; ttlSeconds: number }>();
  const remove = new Set<string>();
  for (const c of parsed) {
    if (!c || c.star) return reject(400, 'Malformed Contact');
    const verdict = decideExpiry(parseDeltaSeconds(c.params.get('expires') ?? undefined), headerExpires, rules);
    if (verdict.kind === 'too-brief') {
      return reject(423, reasonPhrase(423), { 'Min-Expires': String(rules.minSeconds) });
    }
    const instanceId = c.params.get('+sip.instance') ?? undefined; // a valueless flag names no instance
    const regId = parseDeltaSeconds(c.params.get('reg-id') ?? undefined);
    const bindingId = bindingIdFor(c.uri, instanceId, regId);
    const existing = byId.get(bindingId);
    // Step 7: same Call-ID must carry a higher CSeq, or the whole request fails.
    if (existing && existing.callId === facts.callId && facts.cseq <= existing.cseq) {
      return reject(500, 'Out-of-order CSeq', { 'Retry-After': '1' });
    }
    if (verdict.kind === 'remove') {
      put.delete(bindingId);
      if (existing) remove.add(bindingId);
      continue;
    }
    remove.delete(bindingId);
    const binding: Binding = {
      bindingId,
      contactUri: c.uri,
      deviceUser: facts.deviceUser,
      extension: facts.extension,
      expiresAt: now + verdict.seconds * 1000,
      callId: facts.callId,
      cseq: facts.cseq,
      source: { ...facts.source },
    };
    if (instanceId !== undefined) binding.instanceId = instanceId;
    if (regId !== undefined) binding.regId = regId;
    if (facts.userAgent !== undefined) binding.userAgent = facts.userAgent;
    put.set(bindingId, { binding, ttlSeconds: verdict.seconds + rules.graceSeconds });
  }

  if (put.size > rules.maxContactsPerDevice) return reject(403, 'Too many contacts');
  const result = new Map<string, Binding>();
  for (const b of live(current)) if (!remove.has(b.bindingId)) result.set(b.bindingId, b);
  for (const [id, w] of put) result.set(id, w.binding);
  // Over the limit: the bindings closest to expiry (never this request's) make room.
  const evictable = [...result.values()].filter((b) => !put.has(b.bindingId)).sort((a, b) => a.expiresAt - b.expiresAt);
  while (result.size > rules.maxContactsPerDevice) {
    const victim = evictable.shift()!;
    result.delete(victim.bindingId);
    remove.add(victim.bindingId);
  }
  // Dead (grace-period) records not refreshed by this request need no explicit removal: they expire.
  return {
    kind: 'apply',
    change: { remove: [...remove], put: [...put.values()] },
    bindings: [...result.values()],
  };
}

/** RFC 5626: a contact with `+sip.instance` (and `reg-id`) is identified by those, not its URI. */
export function bindingIdFor(uri: string, instanceId: string | undefined, regId: number | undefined): string {
  if (instanceId !== undefined) return regId !== undefined ? `${instanceId};reg-id=${regId}` : instanceId;
  return normaliseContactUri(uri);
}

/** Contact header values for the 200 OK: `<uri>;expires=N` (+ instance/reg-id when registered). */
export function formatContactsFor200(bindings: readonly Binding[], now: number): string[] {
  return bindings.map((b) => {
    const remaining = remainingSeconds(b, now);
    let v = `<${b.contactUri}>;expires=${remaining}`;
    if (b.instanceId !== undefined) v += `;+sip.instance="${b.instanceId.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
    if (b.regId !== undefined) v += `;reg-id=${b.regId}`;
    return v;
  });
}

/** Seconds a binding has left, as the 200's `expires` parameter states it (at least 1). */
export function remainingSeconds(b: Binding, now: number): number {
  return Math.max(1, Math.round((b.expiresAt - now) / 1000));
}
