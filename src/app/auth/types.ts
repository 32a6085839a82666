export { systemClock, type Clock } from '../../lib/clock.js';

export type DigestAlgorithm = 'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess';

/** What the tenant configuration knows about an extension, for authentication. */
export interface ExtensionCredentials {
  password: string;
  /** Number of devices allowed to register for the extension (100, 100_2 … 100_N). Default 1. */
  sharedDevices?: number;
}

/** Looks an extension up in the tenant owning `realm`; undefined when there is none. */
export type CredentialLookup = (realm: string, extension: string) => ExtensionCredentials | undefined;

export type ForbiddenReason = 'wrong-password' | 'unknown-user' | 'device-over-limit' | 'bad-request' | 'replay' | 'realm-mismatch';

export type AuthResult =
  | {
      kind: 'ok';
      /** The authenticated device user, e.g. `100_2`. */
      username: string;
      /** The extension the device belongs to, e.g. `100`. */
      extension: string;
      deviceIndex: number;
      algorithm: DigestAlgorithm;
    }
  | { kind: 'challenge'; stale: boolean }
  | {
      kind: 'forbidden';
      /** The real reason, for logs only: the caller must answer every reason alike (403). */
      reason: ForbiddenReason;
      /** Username as sent by the client (never a password or hash), when known. */
      username?: string;
      detail?: string;
    };
