import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from './types.js';

/**
 * Stateless nonces any instance sharing the secret can verify:
 * base64url( timestamp(6 bytes, ms) | salt(6 bytes) | HMAC-SHA256(secret, ts|salt|realm)[0..16] ).
 * The salt keeps two challenges issued in the same millisecond distinct, so nc replay tracking
 * (keyed by nonce) never confuses two clients.
 */
const TS_LEN = 6;
const SALT_LEN = 6;
const MAC_LEN = 16;
const RAW_LEN = TS_LEN + SALT_LEN + MAC_LEN;

export type NonceCheck = { status: 'valid'; issuedAt: number; expiresAt: number } | { status: 'expired'; issuedAt: number; expiresAt: number } | { status: 'invalid' };

export interface NonceOptions {
  /** Shared by every instance; the first one signs, all are accepted (rotation). */
  secrets: readonly (string | Buffer)[];
  ttlSeconds?: number;
  clock: Clock;
}

export class NonceCodec {
  readonly ttlMs: number;
  private readonly secrets: readonly Buffer[];
  private readonly clock: Clock;
  private pool = Buffer.alloc(0);
  private poolPos = 0;

  constructor(opts: NonceOptions) {
    if (opts.secrets.length === 0) throw new Error('NonceCodec needs at least one secret');
    this.secrets = opts.secrets.map((s) => (typeof s === 'string' ? Buffer.from(s, 'utf8') : s));
    this.ttlMs = (opts.ttlSeconds ?? 300) * 1000;
    this.clock = opts.clock;
  }

  issue(realm: string): string {
    const raw = Buffer.allocUnsafe(RAW_LEN);
    raw.writeUIntBE(Math.floor(this.clock.now()), 0, TS_LEN);
    this.salt().copy(raw, TS_LEN);
    this.mac(this.secrets[0]!, raw, realm).copy(raw, TS_LEN + SALT_LEN, 0, MAC_LEN);
    return raw.toString('base64url');
  }

  verify(nonce: string, realm: string): NonceCheck {
    if (nonce.length > 64) return { status: 'invalid' };
    const raw = Buffer.from(nonce, 'base64url');
    if (raw.length !== RAW_LEN) return { status: 'invalid' };
    const given = raw.subarray(TS_LEN + SALT_LEN);
    const ok = this.secrets.some((s) => timingSafeEqual(this.mac(s, raw, realm).subarray(0, MAC_LEN), given));
    if (!ok) return { status: 'invalid' };
    const issuedAt = raw.readUIntBE(0, TS_LEN);
    const expiresAt = issuedAt + this.ttlMs;
    return { status: this.clock.now() >= expiresAt ? 'expired' : 'valid', issuedAt, expiresAt };
  }

  /** Salt from a pooled random buffer: one getrandom call per few hundred challenges. */
  private salt(): Buffer {
    if (this.poolPos + SALT_LEN > this.pool.length) {
      this.pool = randomBytes(4096);
      this.poolPos = 0;
    }
    const s = this.pool.subarray(this.poolPos, this.poolPos + SALT_LEN);
    this.poolPos += SALT_LEN;
    return s;
  }

  private mac(secret: Buffer, raw: Buffer, realm: string): Buffer {
    return createHmac('sha256', secret)
      .update(raw.subarray(0, TS_LEN + SALT_LEN))
      .update(realm, 'utf8')
      .digest();
  }
}
