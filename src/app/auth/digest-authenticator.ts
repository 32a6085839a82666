import { timingSafeEqual } from 'node:crypto';
import { DEFAULT_OFFERED, digestHeadersFor, formatChallenges, type DigestHeaderNames, type OfferedAlgorithm } from './challenge.js';
import { parseDeviceUser, isDeviceWithinLimit, type DeviceIdentity } from './device-user.js';
import { computeDigestResponse, normaliseAlgorithm } from './digest-hash.js';
import { parseCredentialsList, type ParsedCredentials } from './digest-params.js';
import { NonceCodec } from './nonce.js';
import { NonceCounter } from './nonce-counter.js';
import { systemClock, type AuthResult, type Clock, type CredentialLookup } from './types.js';

export interface DigestAuthenticatorOptions {
  /** Shared by all instances; the first signs new nonces, all verify (rotation). */
  secrets: readonly (string | Buffer)[];
  credentials: CredentialLookup;
  nonceTtlSeconds?: number;
  opaque?: string;
  clock?: Clock;
  parseDevice?: (username: string) => DeviceIdentity;
  maxTrackedNonces?: number;
  /** Algorithms offered, most preferred first; responses with any other are refused. */
  algorithms?: readonly OfferedAlgorithm[];
  /**
   * Per tenant/extension policy, most preferred first; `extension` is undefined when the request
   * names none we can read. Overrides `algorithms`.
   */
  algorithmsFor?: AlgorithmPolicy;
}

export type AlgorithmPolicy = (realm: string, extension: string | undefined) => readonly OfferedAlgorithm[];

export interface DigestRequest {
  method: string;
  /** The tenant domain the request is addressed to. */
  realm: string;
  /** Authorization (REGISTER) or Proxy-Authorization (others) values; undefined when absent. */
  credentials: string | readonly string[] | undefined;
}

export interface Challenge extends DigestHeaderNames {
  /** Values for `challengeHeader`, one per algorithm (SHA-256 first). */
  values: string[];
}

const NC_FORMAT = /^[0-9a-fA-F]{8}$/;
// Used for unknown users so their verification costs as much as a real one.
const DUMMY_PASSWORD = 'x'.repeat(16);

export class DigestAuthenticator {
  private readonly nonces: NonceCodec;
  private readonly counter: NonceCounter;
  private readonly clock: Clock;
  private readonly lookup: CredentialLookup;
  private readonly parseDevice: (username: string) => DeviceIdentity;
  private readonly opaque: string | undefined;
  private readonly algorithmsFor: AlgorithmPolicy;

  constructor(opts: DigestAuthenticatorOptions) {
    this.clock = opts.clock ?? systemClock;
    this.nonces = new NonceCodec({ secrets: opts.secrets, ttlSeconds: opts.nonceTtlSeconds, clock: this.clock });
    this.counter = new NonceCounter({ clock: this.clock, maxEntries: opts.maxTrackedNonces });
    this.lookup = opts.credentials;
    this.parseDevice = opts.parseDevice ?? parseDeviceUser;
    this.opaque = opts.opaque;
    const fixed = opts.algorithms ?? DEFAULT_OFFERED;
    this.algorithmsFor = opts.algorithmsFor ?? (() => fixed);
  }

  /**
   * A fresh challenge for `method` in `realm` (401 for REGISTER, 407 otherwise), offering the
   * algorithms of the device user the request claims to be (`100_2`), if any.
   */
  challenge(method: string, realm: string, stale = false, user?: string): Challenge {
    const nonce = this.nonces.issue(realm);
    const extension = user === undefined ? undefined : this.parseDevice(user).extension;
    const algorithms = this.algorithmsFor(realm, extension);
    return { ...digestHeadersFor(method), values: formatChallenges({ realm, nonce, stale, opaque: this.opaque }, algorithms) };
  }

  verify(req: DigestRequest): AuthResult {
    const candidates = digestCredentials(req.credentials);
    if (candidates === 'malformed') return { kind: 'forbidden', reason: 'bad-request', detail: 'unparsable Digest credentials' };
    if (candidates.length === 0) return { kind: 'challenge', stale: false };
    const creds = candidates.find((c) => c.params.get('realm') === req.realm);
    if (!creds) {
      return { kind: 'forbidden', reason: 'realm-mismatch', username: candidates[0]!.params.get('username') };
    }
    const p = creds.params;
    const username = p.get('username');
    const nonce = p.get('nonce');
    const digestUri = p.get('uri');
    const response = p.get('response');
    if (username === undefined || nonce === undefined || digestUri === undefined || response === undefined) {
      return { kind: 'forbidden', reason: 'bad-request', username, detail: 'missing directive' };
    }
    const algorithm = normaliseAlgorithm(p.get('algorithm'));
    if (!algorithm) return { kind: 'forbidden', reason: 'bad-request', username, detail: 'unsupported algorithm' };
    const device = this.parseDevice(username);
    if (!this.algorithmsFor(req.realm, device.extension).some((a) => algorithm.startsWith(a))) {
      return { kind: 'forbidden', reason: 'bad-request', username, detail: 'algorithm not offered' };
    }
    const qopRaw = p.get('qop');
    let nc = 1;
    if (qopRaw !== undefined) {
      if (qopRaw.toLowerCase() !== 'auth') return { kind: 'forbidden', reason: 'bad-request', username, detail: 'unsupported qop' };
      const ncRaw = p.get('nc');
      if (ncRaw === undefined || !NC_FORMAT.test(ncRaw) || p.get('cnonce') === undefined) {
        return { kind: 'forbidden', reason: 'bad-request', username, detail: 'qop=auth without valid nc/cnonce' };
      }
      nc = parseInt(ncRaw, 16);
      if (nc === 0) return { kind: 'forbidden', reason: 'bad-request', username, detail: 'nc=0' };
    }

    const nonceCheck = this.nonces.verify(nonce, req.realm);
    if (nonceCheck.status === 'invalid') return { kind: 'challenge', stale: false };

    const account = this.lookup(req.realm, device.extension);
    const expected = computeDigestResponse({
      algorithm,
      username,
      realm: req.realm,
      password: account?.password ?? DUMMY_PASSWORD,
      method: req.method,
      digestUri,
      nonce,
      qop: qopRaw === undefined ? undefined : 'auth',
      nc: p.get('nc'),
      cnonce: p.get('cnonce'),
    });
    if (!account) return { kind: 'forbidden', reason: 'unknown-user', username };
    if (!sameHex(expected, response)) return { kind: 'forbidden', reason: 'wrong-password', username };
    if (!isDeviceWithinLimit(device, account.sharedDevices)) {
      return { kind: 'forbidden', reason: 'device-over-limit', username };
    }
    if (nonceCheck.status === 'expired') return { kind: 'challenge', stale: true };

    const counted = this.counter.check(nonce, nc, nonceCheck.issuedAt, nonceCheck.expiresAt);
    if (counted === 'unknown') return { kind: 'challenge', stale: true };
    if (counted === 'replay') {
      // Without qop there is no nc: a reused nonce just earns a fresh one.
      if (qopRaw === undefined) return { kind: 'challenge', stale: true };
      return { kind: 'forbidden', reason: 'replay', username };
    }
    return { kind: 'ok', username, extension: device.extension, deviceIndex: device.deviceIndex, algorithm };
  }

  /** Nonces currently tracked for replay protection (a gauge for metrics). */
  get trackedNonces(): number {
    return this.counter.size;
  }
}

function digestCredentials(raw: string | readonly string[] | undefined): ParsedCredentials[] | 'malformed' {
  if (raw === undefined) return [];
  const values = typeof raw === 'string' ? [raw] : raw;
  const out: ParsedCredentials[] = [];
  for (const v of values) {
    const parsed = parseCredentialsList(v);
    if (!parsed) {
      // Unknown schemes may use syntax we do not parse (e.g. token68): ignore those, but a
      // broken Digest value is a bad request.
      if (/^\s*digest\b/i.test(v)) return 'malformed';
      continue;
    }
    for (const c of parsed) if (c.scheme === 'digest') out.push(c);
  }
  return out;
}

function sameHex(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'latin1');
  const b = Buffer.from(given.toLowerCase(), 'latin1');
  return a.length === b.length && timingSafeEqual(a, b);
}
