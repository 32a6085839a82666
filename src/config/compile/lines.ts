import { NAMED_DIAL_STRING_SETS, type NamedDialStringSet } from '../../domain/dialplan/named-sets.js';
import { compileDialPattern, type DialPattern } from '../../domain/dialplan/pattern.js';
import { DialPatternError } from '../../domain/errors.js';
import type { BannedPrefixList, Destination, EmergencyLine, OutgoingLine, Trunk } from '../../domain/model.js';
import { fail, type KeyPath } from '../errors.js';
import type { RawDestination, RawOutgoingLine } from '../schema/tenant.js';
import { lookup } from './references.js';

export function compileOutgoingLine(lineName: string, raw: RawOutgoingLine, trunks: ReadonlyMap<string, Trunk>, path: KeyPath): OutgoingLine {
  const dialStrings: string[] = [];
  const patterns: DialPattern[] = [];
  const add = (text: string, at: KeyPath): void => {
    try {
      patterns.push(compileDialPattern(text, raw.accessCode));
      dialStrings.push(text);
    } catch (e) {
      if (e instanceof DialPatternError) fail(at, e.message);
      throw e;
    }
  };
  raw.dialStrings.forEach((d, i) => add(d, [...path, 'dialStrings', i]));
  raw.dialStringSets.forEach((set, i) => {
    for (const d of NAMED_DIAL_STRING_SETS[set as NamedDialStringSet]) add(d, [...path, 'dialStringSets', i]);
  });
  if (patterns.length === 0) fail(path, 'an outgoing line needs at least one entry in dialStrings or dialStringSets');

  const shortest = Math.min(...patterns.map((p) => p.minLength)) - raw.accessCode.length;
  if (raw.strip > shortest) {
    fail([...path, 'strip'], `strips ${raw.strip} digits but the line matches numbers as short as ${shortest} (after the access code)`);
  }
  return {
    name: lineName,
    groupId: raw.groupId,
    dialStrings,
    patterns,
    manipulation: { accessCode: raw.accessCode, strip: raw.strip, prefix: raw.prefix },
    trunks: raw.trunks.map((t, i) => lookup(trunks, t, 'trunk', [...path, 'trunks', i])),
    callerId: {
      force: raw.callerId.force,
      presentation: raw.callerId.presentation,
      ...(raw.callerId.name !== undefined && { name: raw.callerId.name }),
      ...(raw.callerId.number !== undefined && { number: raw.callerId.number }),
    },
    pins: raw.pins,
  };
}

export function compileBannedList(
  listName: string,
  raw: { prefixes: string | string[]; destination: RawDestination },
  checkDestination: (d: RawDestination, at: KeyPath) => Destination,
  path: KeyPath,
): BannedPrefixList {
  const prefixes = typeof raw.prefixes === 'string' ? raw.prefixes.split(/\s+/).filter((p) => p !== '') : raw.prefixes;
  if (prefixes.length === 0) fail([...path, 'prefixes'], 'the list is empty');
  prefixes.forEach((p, i) => {
    if (!/^[0-9A-Za-z*#+]+$/.test(p)) fail([...path, 'prefixes', ...(typeof raw.prefixes === 'string' ? [] : [i])], `"${p}" is not a dialable prefix`);
  });
  return { name: listName, prefixes, destination: checkDestination(raw.destination, [...path, 'destination']) };
}

export function compileEmergencyLine(
  lineName: string,
  raw: { number: string; numberToDial?: string | undefined; trunks: string[]; record: boolean },
  trunks: ReadonlyMap<string, Trunk>,
  path: KeyPath,
): EmergencyLine {
  return {
    name: lineName,
    number: raw.number,
    numberToDial: raw.numberToDial ?? raw.number,
    trunks: raw.trunks.map((t, i) => lookup(trunks, t, 'trunk', [...path, 'trunks', i])),
    record: raw.record,
  };
}

export function toDestination(raw: RawDestination): Destination {
  if ('hangup' in raw) return { kind: 'hangup', status: raw.hangup };
  if ('extension' in raw) return { kind: 'extension', extension: raw.extension };
  if ('huntGroup' in raw) return { kind: 'huntGroup', group: raw.huntGroup };
  return { kind: 'application', application: raw.application };
}
