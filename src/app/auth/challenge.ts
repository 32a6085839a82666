import { quote } from './digest-params.js';

/**
 * Which status and headers a digest exchange uses for a method: REGISTER is authenticated by the
 * registrar itself (401 / WWW-Authenticate / Authorization), everything else as a proxy
 * (407 / Proxy-Authenticate / Proxy-Authorization). RFC 3261 §22.2–22.3.
 */
export interface DigestHeaderNames {
  status: 401 | 407;
  reason: 'Unauthorized' | 'Proxy Authentication Required';
  challengeHeader: 'WWW-Authenticate' | 'Proxy-Authenticate';
  /** lower case: the key of srf's parsed headers */
  credentialsHeader: 'authorization' | 'proxy-authorization';
}

const REGISTRAR: DigestHeaderNames = {
  status: 401,
  reason: 'Unauthorized',
  challengeHeader: 'WWW-Authenticate',
  credentialsHeader: 'authorization',
};
const PROXY: DigestHeaderNames = {
  status: 407,
  reason: 'Proxy Authentication Required',
  challengeHeader: 'Proxy-Authenticate',
  credentialsHeader: 'proxy-authorization',
};

export function digestHeadersFor(method: string): DigestHeaderNames {
  return method.toUpperCase() === 'REGISTER' ? REGISTRAR : PROXY;
}

export type OfferedAlgorithm = 'SHA-256' | 'MD5';
/**
 * Offer order = preference order (config `auth.algorithms`). MD5 alone by default: SIPp, baresip,
 * SIPVicious and most deployed phones answer the FIRST challenge and fail when it is SHA-256, so
 * RFC 8760's SHA-256-first order is opt-in per platform, tenant or extension.
 */
export const DEFAULT_OFFERED: readonly OfferedAlgorithm[] = ['MD5'];

export interface ChallengeParams {
  realm: string;
  nonce: string;
  stale: boolean;
  opaque?: string;
}

/**
 * One header value per offered algorithm, in preference order (RFC 8760 §2.4: the client should
 * take the first one it supports; many take the first one, whatever it is).
 */
export function formatChallenges(p: ChallengeParams, algorithms: readonly OfferedAlgorithm[] = DEFAULT_OFFERED): string[] {
  const common = `realm=${quote(p.realm)}, nonce=${quote(p.nonce)}` + (p.opaque !== undefined ? `, opaque=${quote(p.opaque)}` : '') + (p.stale ? ', stale=true' : '');
  return algorithms.map((a) => `Digest ${common}, algorithm=${a}, qop="auth"`);
}
