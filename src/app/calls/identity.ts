import type { SipIdentityParts } from '../../domain/index.js';

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
