import { createHash } from 'node:crypto';

/** Independent digest computation for tests (not the production code path). */
export function h(alg: 'md5' | 'sha256', s: string): string {
  return createHash(alg).update(s).digest('hex');
}

export interface ClientDigest {
  alg: 'MD5' | 'SHA-256';
  username: string;
  realm: string;
  password: string;
  method: string;
  uri: string;
  nonce: string;
  nc?: string;
  cnonce?: string;
  qop?: boolean;
  responseOverride?: string;
}

export function authorization(c: ClientDigest): string {
  const alg = c.alg === 'MD5' ? 'md5' : 'sha256';
  const ha1 = h(alg, `${c.username}:${c.realm}:${c.password}`);
  const ha2 = h(alg, `${c.method}:${c.uri}`);
  const qop = c.qop ?? true;
  const nc = c.nc ?? '00000001';
  const cnonce = c.cnonce ?? 'a1b2c3d4';
  const response = c.responseOverride ?? (qop ? h(alg, `${ha1}:${c.nonce}:${nc}:${cnonce}:auth:${ha2}`) : h(alg, `${ha1}:${c.nonce}:${ha2}`));
  const base = `Digest username="${c.username}", realm="${c.realm}", nonce="${c.nonce}", uri="${c.uri}", response="${response}", algorithm=${c.alg}`;
  return qop ? `${base}, qop=auth, nc=${nc}, cnonce="${cnonce}"` : base;
}

export function nonceFrom(challengeValue: string): string {
  const m = /nonce="([^"]+)"/.exec(challengeValue);
  if (!m) throw new Error('no nonce in challenge');
  return m[1]!;
}

export class FakeClock {
  constructor(public t = 1_700_000_000_000) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}
