import type { CallerId, Extension, LineCallerId } from '../model.js';

/** The identity of the calling party on an outgoing leg, before privacy is applied. */
export interface PresentedIdentity {
  readonly name: string;
  readonly number: string;
}

/** Whoever presents an identity: an extension, or a service caller shaped like one. */
export type IdentitySource = Pick<Extension, 'callerId' | 'displayName' | 'number'>;

/**
 * DOMAIN §4: the extension's caller ID overrides the line's, unless the line forces its own.
 * Field by field; last resorts are the extension's display name and number.
 */
export function outgoingCallerId(ext: IdentitySource, line: LineCallerId | undefined): PresentedIdentity {
  const own = ext.callerId;
  const first = line?.force === true ? line : own;
  const second: CallerId | undefined = line?.force === true ? own : line;
  return {
    name: first.name ?? second?.name ?? ext.displayName,
    number: first.number ?? second?.number ?? ext.number,
  };
}

/**
 * Emergency calls present the PHONE's emergency caller ID (it locates the caller), even when a
 * hot-desk guest is logged in on it; then the phone's ordinary caller ID.
 */
export function emergencyCallerId(phone: Extension): PresentedIdentity {
  const e = phone.emergencyCallerId;
  return {
    name: e?.name ?? phone.callerId.name ?? phone.displayName,
    number: e?.number ?? phone.callerId.number ?? phone.number,
  };
}

export interface SipIdentityParts {
  readonly displayName: string;
  readonly user: string;
  /** Only set for the anonymous URI of RFC 3323 (`sip:anonymous@anonymous.invalid`). */
  readonly host?: string;
}

/** What the outgoing INVITE toward one trunk should carry (RFC 3323 / 3325). */
export interface OutgoingIdentityHeaders {
  readonly from: SipIdentityParts;
  /** `Privacy: id` when the call is anonymous. */
  readonly privacy?: 'id';
  /** P-Asserted-Identity: only toward trunks in the trust domain. */
  readonly assertedIdentity?: SipIdentityParts;
}

export function outgoingIdentityHeaders(identity: PresentedIdentity, anonymous: boolean, trunk: { readonly trustDomain: boolean }): OutgoingIdentityHeaders {
  const real: SipIdentityParts = { displayName: identity.name, user: identity.number };
  const asserted = trunk.trustDomain ? { assertedIdentity: real } : {};
  if (!anonymous) return { from: real, ...asserted };
  return {
    from: { displayName: 'Anonymous', user: 'anonymous', host: 'anonymous.invalid' },
    privacy: 'id',
    ...asserted,
  };
}
