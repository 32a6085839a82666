// Branch parameters the proxy writes into its own Via (RFC 3261 §16.6 step 8, §16.11).
import { randomBytes } from 'node:crypto';

const MAGIC = 'z9hG4bK';
/** stateful proxy branches: MAGIC + PROXY + loop hash + '.' + unique part */
const PROXY = 'Px';
/** stateless relay of loose-routed in-dialog requests: MAGIC + STATELESS + hash */
const STATELESS = 'Sl';
const PROCESS = randomBytes(6).toString('base64url');
let counter = 0;

/** FNV-1a, 32 bits, as 8 hex digits: cheap and stable, not cryptographic. */
export function fnv32(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

export function proxyBranch(loopHash: string): string {
  counter = (counter + 1) % 0x7fffffff;
  return `${MAGIC}${PROXY}${loopHash}.${PROCESS}${counter.toString(36)}`;
}

/** Loop hash carried in a proxy branch, or undefined for other branches. */
export function loopHashOf(branch: string | undefined): string | undefined {
  if (!branch || !branch.startsWith(MAGIC + PROXY)) return undefined;
  return branch.slice(MAGIC.length + PROXY.length, MAGIC.length + PROXY.length + 8);
}

/** Same incoming request (and retransmissions of it) → same branch, as §16.11 asks of stateless proxies. */
export function statelessBranch(incomingBranch: string, method: string, ruri: string): string {
  return `${MAGIC}${STATELESS}${fnv32(`${incomingBranch}\u0000${method}\u0000${ruri}`)}`;
}

export const isStatelessBranch = (branch: string | undefined): boolean => !!branch && branch.startsWith(MAGIC + STATELESS);
