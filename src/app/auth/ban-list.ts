import { BlockList, isIPv6 } from 'node:net';
import { OldestKeyEvictor } from '../../lib/oldest-key-evictor.js';
import { systemClock, type AuthResult, type Clock } from './types.js';

/**
 * Guessing protection: counts FAILED credential checks (not challenges) per source address and
 * bans an address that fails `maxFailures` times within `windowSeconds`. Trusted addresses
 * (carrier trunks) are never counted nor banned. Memory is bounded: the least recently failing
 * addresses are forgotten first.
 */
export interface BanListOptions {
  maxFailures?: number;
  windowSeconds?: number;
  banSeconds?: number;
  /** Addresses or CIDR blocks (`192.0.2.10`, `198.51.100.0/24`, `2001:db8::/32`). */
  trusted?: Iterable<string>;
  clock?: Clock;
  maxTrackedAddresses?: number;
  maxBans?: number;
  /** Called when an address gets banned (log it). */
  onBan?: (entry: BanEntry) => void;
  /** Called when a ban is lifted (admin). */
  onLift?: (address: string) => void;
}

export interface BanEntry {
  address: string;
  bannedAt: number;
  until: number;
  failures: number;
}

export interface FailureOutcome {
  /** True when this failure started a ban. */
  bannedNow: boolean;
  /** Failures counted inside the current window. */
  failures: number;
}

export class BanList {
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly banMs: number;
  private readonly clock: Clock;
  private trusted = new BlockList();
  private readonly maxTracked: number;
  private readonly maxBans: number;
  /** Address → recent failure times (at most maxFailures, oldest first). */
  private readonly failures = new Map<string, number[]>();
  private readonly bans = new Map<string, BanEntry>();
  private readonly failuresEvictor = new OldestKeyEvictor(this.failures);
  private readonly bansEvictor = new OldestKeyEvictor(this.bans);
  private readonly onBan: ((entry: BanEntry) => void) | undefined;
  private readonly onLift: ((address: string) => void) | undefined;

  constructor(opts: BanListOptions = {}) {
    this.maxFailures = opts.maxFailures ?? 10;
    this.windowMs = (opts.windowSeconds ?? 60) * 1000;
    this.banMs = (opts.banSeconds ?? 600) * 1000;
    this.clock = opts.clock ?? systemClock;
    this.maxTracked = opts.maxTrackedAddresses ?? 50_000;
    this.maxBans = opts.maxBans ?? 100_000;
    this.onBan = opts.onBan;
    this.onLift = opts.onLift;
    for (const t of opts.trusted ?? []) this.addTrusted(t);
  }

  addTrusted(entry: string): void {
    addTo(this.trusted, entry);
  }

  /** Replaces every trusted address at once (a configuration reload): a BlockList cannot remove one. */
  replaceTrusted(entries: Iterable<string>): void {
    const next = new BlockList();
    for (const e of entries) addTo(next, e);
    this.trusted = next;
  }

  isTrusted(address: string): boolean {
    const a = normaliseAddress(address);
    return this.trusted.check(a, isIPv6(a) ? 'ipv6' : 'ipv4');
  }

  /** Cheap check to run before anything else for a request from `address`. */
  isBanned(address: string): boolean {
    const a = normaliseAddress(address);
    const ban = this.bans.get(a);
    if (!ban) return false;
    if (ban.until > this.clock.now()) return true;
    this.bans.delete(a);
    return false;
  }

  recordFailure(address: string): FailureOutcome {
    const a = normaliseAddress(address);
    if (this.isTrusted(a)) return { bannedNow: false, failures: 0 };
    const now = this.clock.now();
    const times = this.failures.get(a) ?? [];
    this.failures.delete(a); // re-inserted below: Map order becomes least-recently-failed first
    const cutoff = now - this.windowMs;
    while (times.length > 0 && times[0]! <= cutoff) times.shift();
    times.push(now);
    if (times.length >= this.maxFailures && !this.isBanned(a)) {
      this.ban(a, now, times.length);
      return { bannedNow: true, failures: times.length };
    }
    if (times.length > this.maxFailures) times.shift();
    this.failures.set(a, times);
    this.failuresEvictor.trimTo(this.maxTracked);
    return { bannedNow: false, failures: times.length };
  }

  /** Records the outcome of a verification; only wrong passwords and unknown users count. */
  recordResult(address: string, result: AuthResult): FailureOutcome | undefined {
    return isCredentialFailure(result) ? this.recordFailure(address) : undefined;
  }

  list(): BanEntry[] {
    const now = this.clock.now();
    const out: BanEntry[] = [];
    for (const [a, b] of this.bans) {
      if (b.until > now) out.push({ ...b });
      else this.bans.delete(a);
    }
    return out;
  }

  /** Lifts a ban (admin); returns whether there was one. Also forgets the address's failures. */
  lift(address: string): boolean {
    const a = normaliseAddress(address);
    this.failures.delete(a);
    const lifted = this.bans.delete(a);
    if (lifted) this.onLift?.(a);
    return lifted;
  }

  private ban(a: string, now: number, failures: number): void {
    this.bans.delete(a);
    const entry = { address: a, bannedAt: now, until: now + this.banMs, failures };
    this.bans.set(a, entry);
    this.bansEvictor.trimTo(this.maxBans);
    this.onBan?.({ ...entry });
  }
}

/**
 * Failures that look like guessing. Over-limit devices (right password), replays, realm
 * mismatches and malformed requests are not guesses: counting them would ban an office NAT
 * because of one misconfigured phone.
 */
export function isCredentialFailure(result: AuthResult): boolean {
  return result.kind === 'forbidden' && (result.reason === 'wrong-password' || result.reason === 'unknown-user');
}

function normaliseAddress(address: string): string {
  const a = address.trim().toLowerCase();
  const bare = a.startsWith('[') && a.endsWith(']') ? a.slice(1, -1) : a;
  return bare.startsWith('::ffff:') && bare.includes('.') ? bare.slice(7) : bare;
}

function addTo(list: BlockList, entry: string): void {
  const [addr, bits] = entry.split('/') as [string, string | undefined];
  const family = isIPv6(addr) ? 'ipv6' : 'ipv4';
  if (bits === undefined) list.addAddress(normaliseAddress(addr), family);
  else list.addSubnet(normaliseAddress(addr), Number(bits), family);
}
