import * as crypto from 'node:crypto';
import type { DigestAlgorithm } from './types.js';

/** Canonical spelling for an `algorithm` directive (case-insensitive); undefined if unsupported. */
export function normaliseAlgorithm(raw: string | undefined): DigestAlgorithm | undefined {
  if (raw === undefined) return 'MD5'; // RFC 2617/7616: absent means MD5
  switch (raw.toUpperCase()) {
    case 'MD5':
      return 'MD5';
    case 'MD5-SESS':
      return 'MD5-sess';
    case 'SHA-256':
      return 'SHA-256';
    case 'SHA-256-SESS':
      return 'SHA-256-sess';
    default:
      return undefined;
  }
}

function hashName(algorithm: DigestAlgorithm): 'md5' | 'sha256' {
  return algorithm === 'MD5' || algorithm === 'MD5-sess' ? 'md5' : 'sha256';
}

// crypto.hash (Node >= 20.12) is a one-shot about 3x cheaper than createHash for short inputs.
const oneShot: ((alg: string, data: string, enc: 'hex') => string) | undefined = typeof crypto.hash === 'function' ? crypto.hash : undefined;

export function hexDigest(algorithm: DigestAlgorithm, input: string): string {
  const name = hashName(algorithm);
  return oneShot ? oneShot(name, input, 'hex') : crypto.createHash(name).update(input, 'utf8').digest('hex');
}

export interface DigestInputs {
  algorithm: DigestAlgorithm;
  username: string;
  realm: string;
  password: string;
  method: string;
  /** The `uri` directive exactly as the client sent it (it is what the client hashed). */
  digestUri: string;
  nonce: string;
  /** `auth` or absent (RFC 2069 compatibility). */
  qop?: 'auth';
  nc?: string;
  cnonce?: string;
}

/** The expected `response` directive, lower-case hex (RFC 7616 §3.4.1, RFC 3261 §22.4). */
export function computeDigestResponse(d: DigestInputs): string {
  let ha1 = hexDigest(d.algorithm, `${d.username}:${d.realm}:${d.password}`);
  if (d.algorithm.endsWith('-sess')) {
    ha1 = hexDigest(d.algorithm, `${ha1}:${d.nonce}:${d.cnonce ?? ''}`);
  }
  const ha2 = hexDigest(d.algorithm, `${d.method}:${d.digestUri}`);
  const tail = d.qop ? `${d.nonce}:${d.nc ?? ''}:${d.cnonce ?? ''}:${d.qop}:${ha2}` : `${d.nonce}:${ha2}`;
  return hexDigest(d.algorithm, `${ha1}:${tail}`);
}
