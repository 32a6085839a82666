import type { BanList } from './ban-list.js';
import { isCredentialFailure } from './ban-list.js';
import type { DigestAuthenticator } from './digest-authenticator.js';
import type { ForbiddenReason } from './types.js';
import { reasonPhrase } from '../../sip/index.js';

/** What a SIP handler has in hand for a request from a device. */
export interface DeviceRequest {
  method: string;
  /** Tenant domain the request is for (realm). */
  realm: string;
  /** Authorization (REGISTER) or Proxy-Authorization (others) header values. */
  credentials: string | readonly string[] | undefined;
  sourceAddress: string;
  /** The device user the request claims (To user of a REGISTER, From user otherwise), if any. */
  claimedUser?: string;
}

export type AuthDecision =
  | { action: 'proceed'; username: string; extension: string; deviceIndex: number }
  | {
      action: 'respond';
      status: 400 | 401 | 403 | 407;
      reason: string;
      headers: Record<string, string[]>;
      /** For logs only, never for the response: why it was refused. */
      log: { cause: 'challenge' | 'stale' | 'banned' | ForbiddenReason; username?: string; bannedNow?: boolean };
    };

/**
 * The whole device-authentication step for a handler: refuse banned addresses before any crypto,
 * verify, count guesses, and build the response. Every credential failure answers the same 403
 * whatever the real reason (wrong password, unknown user, over-limit device), so a caller cannot
 * probe which extensions or devices exist.
 */
export function authenticateDeviceRequest(auth: DigestAuthenticator, bans: BanList, req: DeviceRequest): AuthDecision {
  if (bans.isBanned(req.sourceAddress)) {
    return { action: 'respond', status: 403, reason: reasonPhrase(403), headers: {}, log: { cause: 'banned' } };
  }
  const result = auth.verify({ method: req.method, realm: req.realm, credentials: req.credentials });
  switch (result.kind) {
    case 'ok':
      return { action: 'proceed', username: result.username, extension: result.extension, deviceIndex: result.deviceIndex };
    case 'challenge': {
      const c = auth.challenge(req.method, req.realm, result.stale, req.claimedUser);
      return {
        action: 'respond',
        status: c.status,
        reason: c.reason,
        headers: { [c.challengeHeader]: c.values },
        log: { cause: result.stale ? 'stale' : 'challenge' },
      };
    }
    case 'forbidden': {
      const bannedNow = isCredentialFailure(result) ? bans.recordFailure(req.sourceAddress).bannedNow : false;
      const badRequest = result.reason === 'bad-request';
      return {
        action: 'respond',
        status: badRequest ? 400 : 403,
        reason: reasonPhrase(badRequest ? 400 : 403),
        headers: {},
        log: { cause: result.reason, username: result.username, bannedNow },
      };
    }
  }
}
