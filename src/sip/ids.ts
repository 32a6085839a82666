// Random identifiers for branches, tags and Call-IDs.
import { randomFillSync } from 'node:crypto';

// One getrandom per 4 KiB instead of one per identifier: these are minted for every message.
const POOL = Buffer.alloc(4096);
let used = POOL.length;

function randomSlice(n: number): Buffer {
  if (used + n > POOL.length) {
    randomFillSync(POOL);
    used = 0;
  }
  const out = POOL.subarray(used, used + n);
  used += n;
  return out;
}

/** RFC 3261 §8.1.1.7: branch must start with the magic cookie. */
export function generateBranch(): string {
  return `z9hG4bK${randomSlice(12).toString('base64url')}`;
}

export function generateTag(): string {
  return randomSlice(8).toString('hex');
}

export function generateCallId(host?: string): string {
  const id = randomSlice(16).toString('base64url');
  return host ? `${id}@${host}` : id;
}
