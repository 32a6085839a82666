import type { DialPattern } from '../dialplan/pattern.js';
import type { BannedPrefixList, CosDefinition, EmergencyLine, OutgoingLine, Tenant } from '../model.js';
import { PrefixTrie } from './prefix-trie.js';

export interface BannedHit {
  readonly list: BannedPrefixList;
  readonly prefix: string;
}

/** A grant that is either everything or a set of names. */
export interface Grant {
  readonly all: boolean;
  readonly names: ReadonlySet<string>;
}

/** The permissions a caller actually has: the union of the CoS objects that apply right now. */
export interface EffectiveCos {
  /** The CoS objects that contributed, in precedence order. */
  readonly names: readonly string[];
  readonly emergencyByNumber: ReadonlyMap<string, EmergencyLine>;
  readonly banned: PrefixTrie<BannedHit>;
  /** Outgoing lines in precedence order, without duplicates. */
  readonly lines: readonly OutgoingLine[];
  readonly lineSet: ReadonlySet<OutgoingLine>;
  /** Every (pattern, line) pair flattened in precedence order: the hot loop of routing. */
  readonly linePatterns: readonly { readonly pattern: DialPattern; readonly line: OutgoingLine }[];
  readonly localExtensions: Grant;
  readonly services: Grant;
  readonly applications: Grant;
}

/**
 * Unions `roots` and everything they include, depth-first in order, skipping any CoS for which
 * `isActive` is false (with its includes: an out-of-schedule CoS grants nothing).
 * Include cycles are rejected at load, but the walk still guards against revisits.
 */
export function buildEffectiveCos(tenant: Tenant, roots: readonly CosDefinition[], isActive: (cos: CosDefinition) => boolean): EffectiveCos {
  const names: string[] = [];
  const emergencyByNumber = new Map<string, EmergencyLine>();
  const banned = new PrefixTrie<BannedHit>();
  const lines: OutgoingLine[] = [];
  const lineSet = new Set<OutgoingLine>();
  const local = newGrant();
  const services = newGrant();
  const applications = newGrant();
  const seen = new Set<CosDefinition>();

  const visit = (cos: CosDefinition): void => {
    if (seen.has(cos)) return;
    seen.add(cos);
    if (!isActive(cos)) return;
    names.push(cos.name);
    for (const e of cos.emergencyLines) if (!emergencyByNumber.has(e.number)) emergencyByNumber.set(e.number, e);
    for (const list of cos.bannedPrefixLists) for (const prefix of list.prefixes) banned.add(prefix, { list, prefix });
    const own = cos.outgoingLines === 'all' ? tenant.outgoingLines : cos.outgoingLines;
    for (const line of own) {
      if (!lineSet.has(line)) {
        lineSet.add(line);
        lines.push(line);
      }
    }
    addGrant(local, cos.localExtensions);
    addGrant(services, cos.services);
    addGrant(applications, cos.applications);
    for (const inc of cos.includes) visit(inc);
  };
  for (const root of roots) visit(root);

  const linePatterns = lines.flatMap((line) => line.patterns.map((pattern) => ({ pattern, line })));
  return {
    names,
    emergencyByNumber,
    banned,
    lines,
    lineSet,
    linePatterns,
    localExtensions: local,
    services,
    applications,
  };
}

interface MutableGrant {
  all: boolean;
  readonly names: Set<string>;
}

function newGrant(): MutableGrant {
  return { all: false, names: new Set() };
}

function addGrant(into: MutableGrant, from: CosDefinition['services']): void {
  if (from.all) into.all = true;
  else for (const n of from.names) into.names.add(n);
}

export function grants(grant: Grant, name: string): boolean {
  return grant.all || grant.names.has(name);
}
