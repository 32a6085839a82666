import type { PresentedIdentity, SipIdentityParts } from '../../domain/index.js';
import { formatNameAddr, parseNameAddr, userOf } from '../../sip/index.js';

/** `"Name" <sip:user@host>` with the display name quoted safely (RFC 3261 quoted-string). */
export function nameAddr(displayName: string, user: string, host: string): string {
  const quoted = displayName === '' ? '' : `"${displayName.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[\r\n]/g, ' ')}" `;
  const userPart = user === '' ? '' : `${escapeUser(user)}@`;
  return `${quoted}<sip:${userPart}${host}>`;
}

/** A domain identity as a header value; the anonymous identity keeps its own host. */
export function identityHeader(id: SipIdentityParts, defaultHost: string): string {
  return nameAddr(id.displayName, id.user, id.host ?? defaultHost);
}

/** RFC 3261 `user` characters pass; anything else is %-escaped (e.g. `#`, space). */
function escapeUser(user: string): string {
  return user.replace(/[^A-Za-z0-9\-_.!~*'()&=+$,/]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** A carrier caller's display name and number, presented unchanged if the call goes on (`"Bob" <sip:+1416…;isub=1@h>` → Bob, +1416…). */
export function carrierIdentity(from: string): PresentedIdentity {
  // the number is the user part without user parameters
  const number = (userOf(from) ?? '').split(';', 1)[0]!;
  return { name: parseNameAddr(from)?.displayName ?? '', number };
}

/** A From header value without its tag (what every leg of a call presents as the caller); unparseable text is kept as it is. */
export function fromWithoutTag(from: string): string {
  const n = parseNameAddr(from);
  if (n === undefined) return from;
  n.params.delete('tag');
  return formatNameAddr(n);
}
