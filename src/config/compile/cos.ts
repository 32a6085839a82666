import type { AllOrList, BannedPrefixList, CosDefinition, EmergencyLine, OutgoingLine } from '../../domain/model.js';
import type { TimeSet } from '../../domain/schedule/time-set.js';
import { fail, type KeyPath } from '../errors.js';
import type { AllOrListInput } from '../schema/primitives.js';
import type { RawCos } from '../schema/tenant.js';
import { checkKnown, lookup } from './references.js';

/** What a CoS may refer to, by name. */
export interface CosReferences {
  readonly outgoingLines: ReadonlyMap<string, OutgoingLine>;
  readonly emergencyLines: ReadonlyMap<string, EmergencyLine>;
  readonly bannedPrefixLists: ReadonlyMap<string, BannedPrefixList>;
  readonly extensions: ReadonlySet<string>;
  readonly features: ReadonlySet<string>;
  readonly applications: ReadonlySet<string>;
  readonly timeSets: ReadonlyMap<string, TimeSet>;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Compiles every CoS of a tenant. Includes are checked for unknown names and cycles first; the
 * objects are then created empty and filled, so any CoS may refer to any other (includes,
 * "CoS if not logged") by direct reference.
 */
export function compileCosTable(raw: Readonly<Record<string, RawCos>>, refs: CosReferences, path: KeyPath): Map<string, CosDefinition> {
  rejectIncludeProblems(raw, path);
  const table = new Map<string, Mutable<CosDefinition>>();
  for (const name of Object.keys(raw)) table.set(name, { name } as Mutable<CosDefinition>);

  for (const [name, r] of Object.entries(raw)) {
    const at = [...path, name];
    const cos = table.get(name)!;
    cos.outgoingLines = r.outgoingLines === 'all' ? 'all' : r.outgoingLines.map((l, i) => lookup(refs.outgoingLines, l, 'outgoing line', [...at, 'outgoingLines', i]));
    rejectDuplicates(r.outgoingLines, [...at, 'outgoingLines']);
    cos.emergencyLines = r.emergencyLines.map((l, i) => lookup(refs.emergencyLines, l, 'emergency line', [...at, 'emergencyLines', i]));
    cos.bannedPrefixLists = r.bannedPrefixes.map((l, i) => lookup(refs.bannedPrefixLists, l, 'banned-prefix list', [...at, 'bannedPrefixes', i]));
    cos.localExtensions = grant(r.localExtensions, refs.extensions, 'extension', [...at, 'localExtensions']);
    cos.services = grant(r.services, refs.features, 'feature code', [...at, 'services']);
    cos.applications = grant(r.applications, refs.applications, 'application', [...at, 'applications']);
    cos.includes = r.includes.map((inc) => table.get(inc)!);
    if (r.schedule !== undefined) cos.schedule = lookup(refs.timeSets, r.schedule, 'time set', [...at, 'schedule']);
    cos.pinCodes = r.pinCodes;
    cos.record = r.record;
    if (r.hotDeskRestriction !== undefined) {
      const other = lookup(table, r.hotDeskRestriction.cosIfNotLogged, 'CoS', [...at, 'hotDeskRestriction', 'cosIfNotLogged']);
      cos.hotDeskRestriction = { cosIfNotLogged: other };
    }
  }
  rejectSharedPins(raw, path);
  return table;
}

function grant(input: AllOrListInput, known: ReadonlySet<string>, what: string, path: KeyPath): AllOrList {
  if (input === 'all') return { all: true };
  input.forEach((n, i) => checkKnown(known, n, what, [...path, i]));
  return { all: false, names: new Set(input) };
}

function rejectDuplicates(list: AllOrListInput, path: KeyPath): void {
  if (list === 'all') return;
  const seen = new Set<string>();
  list.forEach((n, i) => {
    if (seen.has(n)) fail([...path, i], `"${n}" is listed twice`);
    seen.add(n);
  });
}

/** Unknown includes and include cycles, reported at the include that closes the cycle. */
function rejectIncludeProblems(raw: Readonly<Record<string, RawCos>>, path: KeyPath): void {
  for (const [name, r] of Object.entries(raw)) {
    r.includes.forEach((inc, i) => {
      if (!(inc in raw)) fail([...path, name, 'includes', i], `unknown CoS "${inc}" (known: ${Object.keys(raw).join(', ')})`);
    });
  }
  const done = new Set<string>();
  const visit = (name: string, trail: string[]): void => {
    if (done.has(name)) return;
    raw[name]!.includes.forEach((inc, i) => {
      const loopAt = trail.indexOf(inc);
      if (inc === name || loopAt >= 0) {
        const cycle = [...trail.slice(loopAt < 0 ? trail.length : loopAt), name, inc];
        fail([...path, name, 'includes', i], `include cycle ${cycle.join(' → ')}`);
      }
      visit(inc, [...trail, name]);
    });
    done.add(name);
  };
  for (const name of Object.keys(raw)) visit(name, []);
}

function rejectSharedPins(raw: Readonly<Record<string, RawCos>>, path: KeyPath): void {
  const owner = new Map<string, string>();
  for (const [name, r] of Object.entries(raw)) {
    r.pinCodes.forEach((pin, i) => {
      const other = owner.get(pin);
      if (other !== undefined) fail([...path, name, 'pinCodes', i], `this PIN already selects CoS "${other}"`);
      owner.set(pin, name);
    });
  }
}
