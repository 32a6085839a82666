import { ShellPatternError, TimeSetError } from '../../domain/errors.js';
import { DEFAULT_FEATURE_CODES } from '../../domain/feature-codes.js';
import type {
  Application,
  CallScreening,
  CosDefinition,
  Destination,
  Extension,
  FeatureCode,
  ForwardKind,
  ForwardRule,
  HuntGroup,
  IncomingLine,
  IvrAction,
  IvrMenu,
  NcosLevel,
  NumberList,
  Tenant,
  TenantLimits,
  AllOrList,
} from '../../domain/model.js';
import { compileTimeSet, type TimeSet } from '../../domain/schedule/time-set.js';
import { fail, type KeyPath } from '../errors.js';
import type { RawBlockLists, RawDestination, RawExtension, RawIvrAction, RawIvrMenu, RawNumberList, RawTenant } from '../schema/tenant.js';
import { compileShellPattern } from '../../domain/screening/shell-pattern.js';
import { VOICEMAIL_TARGET } from '../../domain/forwarding/judge-forward.js';
import { compileCosTable } from './cos.js';
import { compileBannedList, compileEmergencyLine, compileOutgoingLine, toDestination } from './lines.js';
import { lookup } from './references.js';
import { compileTrunk } from './trunks.js';

/** Turns one validated tenant section into the domain model, checking every cross-reference. */
export function compileTenant(tenantName: string, raw: RawTenant): Tenant {
  const at = (...rest: (string | number)[]): KeyPath => ['tenants', tenantName, ...rest];

  const trunks = mapEntries(raw.trunks, (n, t) => compileTrunk(n, t, at('trunks', n)));
  const timeSets = mapEntries(raw.timeSets, (n, t) => {
    try {
      return compileTimeSet(n, t.timeZone ?? raw.timeZone, t.periods);
    } catch (e) {
      if (!(e instanceof TimeSetError)) throw e;
      const i = t.periods.findIndex((p) => Object.values(p).includes(e.value));
      fail(e.field === 'timeZone' ? at('timeSets', n, 'timeZone') : at('timeSets', n, 'periods', Math.max(i, 0), e.field), e.message);
    }
  });
  const features = compileFeatures(raw, at);
  const applicationNames = new Set(Object.keys(raw.applications));
  const extensionNumbers = new Set(Object.keys(raw.extensions));

  const destination = (d: RawDestination, path: KeyPath): Destination => {
    if ('extension' in d && !extensionNumbers.has(d.extension)) fail([...path, 'extension'], `unknown extension "${d.extension}"`);
    if ('application' in d && !applicationNames.has(d.application)) fail([...path, 'application'], `unknown application "${d.application}"`);
    if ('huntGroup' in d && !(d.huntGroup in raw.huntGroups)) fail([...path, 'huntGroup'], `unknown hunt group "${d.huntGroup}"`);
    return toDestination(d);
  };

  const outgoingLines = mapEntries(raw.outgoingLines, (n, l) => compileOutgoingLine(n, l, trunks, at('outgoingLines', n)));
  const bannedPrefixLists = mapEntries(raw.bannedPrefixes, (n, b) => compileBannedList(n, b, destination, at('bannedPrefixes', n)));
  const emergencyLines = mapEntries(raw.emergencyLines, (n, e) => compileEmergencyLine(n, e, trunks, at('emergencyLines', n)));

  const cos = compileCosTable(
    raw.cos,
    {
      outgoingLines,
      emergencyLines,
      bannedPrefixLists,
      timeSets,
      extensions: extensionNumbers,
      features: new Set(features.map((f) => f.name)),
      applications: applicationNames,
    },
    at('cos'),
  );

  const ncosLevels = mapEntries(raw.ncos, (n, l): NcosLevel => ({ name: n, ...compileNumberList(l, at('ncos', n)) }));
  const tenantScreening = raw.blockLists && compileScreening(raw.blockLists, at('blockLists'));

  const extensions = mapEntries(raw.extensions, (num, e): Extension => {
    const path = at('extensions', num);
    if (!/^[0-9A-Za-z*#+]+$/.test(num)) fail(path, 'an extension number may only contain digits, letters, "*", "#" and "+" ("_" is reserved for shared devices)');
    if (num === VOICEMAIL_TARGET) fail(path, `"${VOICEMAIL_TARGET}" is reserved: as a forward target it names the extension's mailbox`);
    if (e.hotDesk === undefined && e.password === undefined) fail([...path, 'password'], 'required (only hot-desk extensions have no password)');
    if (e.hotDesk !== undefined && e.sharedDevices !== 1) fail([...path, 'sharedDevices'], 'a hot-desk extension owns no device');
    return {
      number: num,
      displayName: e.displayName ?? num,
      ...(e.password !== undefined && { password: e.password }),
      sharedDevices: e.sharedDevices,
      cos: lookup(cos, e.cos, 'CoS', [...path, 'cos']),
      callerId: stripUndefined(e.callerId),
      ...(e.emergencyCallerId && { emergencyCallerId: stripUndefined(e.emergencyCallerId) }),
      ...(e.hotDesk && { hotDeskPin: e.hotDesk.pin }),
      ...(e.auth && { authAlgorithms: e.auth.algorithms }),
      ...(e.ringTimeoutSeconds !== undefined && { ringTimeoutSeconds: e.ringTimeoutSeconds }),
      record: e.record,
      ...(e.voicemail && { voicemail: { pin: e.voicemail.pin, afterSeconds: e.voicemail.afterSeconds } }),
      forwards: compileForwards(e.forward, timeSets, e.voicemail !== undefined, [...path, 'forward']),
      ...(e.blockLists && { blockLists: compileScreening(e.blockLists, [...path, 'blockLists']) }),
      ...(e.ncos && {
        ncos: {
          ...(e.ncos.admin !== undefined && { admin: lookup(ncosLevels, e.ncos.admin, 'NCOS level', [...path, 'ncos', 'admin']) }),
          ...(e.ncos.user !== undefined && { user: lookup(ncosLevels, e.ncos.user, 'NCOS level', [...path, 'ncos', 'user']) }),
        },
      }),
    };
  });

  const applications = mapEntries(raw.applications, (n, a): Application => {
    const path = at('applications', n);
    const appCos = a.cos !== undefined ? lookup(cos, a.cos, 'CoS', [...path, 'cos']) : undefined;
    if (a.kind === 'ivr' && a.menu === undefined) fail([...path, 'menu'], 'required for an application of kind ivr');
    if (a.menu !== undefined && a.kind !== 'ivr') fail([...path, 'menu'], 'only an application of kind ivr has a menu');
    return {
      name: n,
      number: a.number,
      kind: a.kind,
      ...(appCos && { cos: appCos }),
      ...(a.menu && { menu: compileMenu(n, a.menu, appCos, { extensions: extensionNumbers, applications: raw.applications }, [...path, 'menu']) }),
    };
  });

  const huntGroups = mapEntries(raw.huntGroups, (n, g): HuntGroup => {
    if (extensionNumbers.has(g.number)) fail(at('huntGroups', n, 'number'), `${g.number} is already an extension`);
    return {
      name: n,
      number: g.number,
      members: g.members,
      ...(g.cos !== undefined && { cos: lookup(cos, g.cos, 'CoS', at('huntGroups', n, 'cos')) }),
    };
  });
  const incomingLines = compileIncoming(raw, at, destination, timeSets, cos);
  rejectNumberClashes(raw, features, at);

  return {
    name: tenantName,
    domain: raw.domain,
    realm: raw.realm ?? raw.domain,
    ...(raw.auth && { authAlgorithms: raw.auth.algorithms }),
    ringTimeoutSeconds: raw.ringTimeoutSeconds,
    ...(raw.language !== undefined && { language: raw.language }),
    ...(tenantScreening && { blockLists: tenantScreening }),
    ...(raw.nightMode?.pin !== undefined && { nightModePin: raw.nightMode.pin }),
    ncosLevels,
    huntGroups,
    extensions,
    cos,
    outgoingLines: [...outgoingLines.values()],
    bannedPrefixLists,
    emergencyLines: [...emergencyLines.values()],
    incomingLines,
    trunks,
    timeSets,
    features,
    applications,
    ...(raw.limits && { limits: compileLimits(raw.limits) }),
  };
}

function compileForwards(raw: RawExtension['forward'], timeSets: ReadonlyMap<string, TimeSet>, hasMailbox: boolean, path: KeyPath): ForwardRule[] {
  if (raw === undefined) return [];
  const out: ForwardRule[] = [];
  for (const kind of FORWARD_KINDS) {
    const f = raw[kind];
    if (f === undefined) continue;
    if (f.to === VOICEMAIL_TARGET && !hasMailbox) fail([...path, kind, 'to'], 'a forward to voicemail needs a mailbox: add voicemail: { pin } to the extension');
    out.push({
      kind,
      to: f.to,
      ...(f.timeSet !== undefined && { timeSet: lookup(timeSets, f.timeSet, 'time set', [...path, kind, 'timeSet']) }),
      ...('afterSeconds' in f && f.afterSeconds !== undefined && { afterSeconds: f.afterSeconds }),
      ...(f.callers !== undefined && { callers: compileNumberList(f.callers, [...path, kind, 'callers']) }),
    });
  }
  return out;
}

function compileNumberList(raw: RawNumberList, path: KeyPath): NumberList {
  return {
    mode: raw.mode,
    patterns: raw.patterns.map((source, i) => {
      try {
        return compileShellPattern(source);
      } catch (e) {
        if (!(e instanceof ShellPatternError)) throw e;
        fail([...path, 'patterns', i], e.message);
      }
    }),
  };
}

function compileScreening(raw: RawBlockLists, path: KeyPath): CallScreening {
  return {
    rejectAnonymous: raw.rejectAnonymous,
    ...(raw.incoming && { incoming: compileNumberList(raw.incoming, [...path, 'incoming']) }),
    ...(raw.outgoing && { outgoing: compileNumberList(raw.outgoing, [...path, 'outgoing']) }),
  };
}

function compileIvrAction(raw: RawIvrAction, refs: MenuRefs, path: KeyPath): IvrAction {
  if ('extension' in raw) {
    if (!refs.extensions.has(raw.extension)) fail([...path, 'extension'], `unknown extension "${raw.extension}"`);
    return { kind: 'extension', extension: raw.extension };
  }
  if ('menu' in raw) {
    if (refs.applications[raw.menu]?.menu === undefined) fail([...path, 'menu'], `unknown IVR menu "${raw.menu}" (an application of kind ivr)`);
    return { kind: 'menu', menu: raw.menu };
  }
  if ('hangup' in raw) return raw.hangup === true ? { kind: 'hangup' } : { kind: 'hangup', prompt: raw.hangup };
  return { kind: 'repeat' };
}

interface MenuRefs {
  extensions: ReadonlySet<string>;
  applications: RawTenant['applications'];
}

function compileMenu(app: string, raw: RawIvrMenu, appCos: CosDefinition | undefined, refs: MenuRefs, path: KeyPath): IvrMenu {
  const options = new Map<string, IvrAction>();
  for (const [digit, action] of Object.entries(raw.options)) options.set(digit, compileIvrAction(action, refs, [...path, 'options', digit]));
  const dial = raw.dialExtensions;
  const dialExtensions: AllOrList = dial === 'all' ? { all: true } : { all: false, names: new Set(dial) };
  if (dial !== 'all') dial.forEach((e, i) => refs.extensions.has(e) || fail([...path, 'dialExtensions', i], `unknown extension "${e}"`));
  const reachable = new Set<string>([...options.values()].flatMap((o) => (o.kind === 'extension' ? [o.extension] : [])));
  const onFailure = compileIvrAction(raw.onFailure, refs, [...path, 'onFailure']);
  if (onFailure.kind === 'extension') reachable.add(onFailure.extension);
  return {
    prompts: raw.prompts,
    options,
    dialExtensions,
    timeoutSeconds: raw.timeoutSeconds,
    digitTimeoutSeconds: raw.digitTimeoutSeconds,
    tries: raw.tries,
    ...(raw.invalidPrompt !== undefined && { invalidPrompt: raw.invalidPrompt }),
    ...(raw.timeoutPrompt !== undefined && { timeoutPrompt: raw.timeoutPrompt }),
    onFailure,
    cos: appCos ?? restrictedIvrCos(app, dialExtensions.all ? 'all' : new Set([...reachable, ...dialExtensions.names])),
  };
}

/** DOMAIN §5 security: an IVR without a CoS of its own reaches its extensions and nothing else. */
function restrictedIvrCos(app: string, extensions: 'all' | ReadonlySet<string>): CosDefinition {
  const none: AllOrList = { all: false, names: new Set() };
  return {
    name: `ivr:${app}`,
    outgoingLines: [],
    emergencyLines: [],
    bannedPrefixLists: [],
    localExtensions: extensions === 'all' ? { all: true } : { all: false, names: extensions },
    services: none,
    applications: none,
    includes: [],
    pinCodes: [],
    record: false,
  };
}

const FORWARD_KINDS: readonly ForwardKind[] = ['unconditional', 'busy', 'noAnswer', 'unavailable'];

function compileIncoming(
  raw: RawTenant,
  at: (...rest: (string | number)[]) => KeyPath,
  destination: (d: RawDestination, path: KeyPath) => Destination,
  timeSets: ReadonlyMap<string, TimeSet>,
  cos: ReadonlyMap<string, CosDefinition>,
): Map<string, IncomingLine> {
  const byDnis = new Map<string, string>();
  return mapEntries(raw.incomingLines, (n, l): IncomingLine => {
    const path = at('incomingLines', n);
    const other = byDnis.get(l.dnis);
    if (other !== undefined) fail([...path, 'dnis'], `DNIS ${l.dnis} is already used by incoming line "${other}"`);
    byDnis.set(l.dnis, n);
    return {
      name: n,
      dnis: l.dnis,
      destination: destination(l.destination, [...path, 'destination']),
      ...(l.schedule !== undefined && { schedule: lookup(timeSets, l.schedule, 'time set', [...path, 'schedule']) }),
      ...(l.outsideSchedule !== undefined && { outsideSchedule: destination(l.outsideSchedule, [...path, 'outsideSchedule']) }),
      ...(l.cos !== undefined && { cos: lookup(cos, l.cos, 'CoS', [...path, 'cos']) }),
    };
  });
}

function compileFeatures(raw: RawTenant, at: (...rest: (string | number)[]) => KeyPath): FeatureCode[] {
  const merged = new Map<string, { code: string; argument: boolean; enabled: boolean }>();
  for (const [n, f] of Object.entries(DEFAULT_FEATURE_CODES)) merged.set(n, { ...f, enabled: true });
  for (const [n, f] of Object.entries(raw.features)) merged.set(n, f);
  const byCode = new Map<string, string>();
  const out: FeatureCode[] = [];
  for (const [n, f] of merged) {
    if (!f.enabled) continue;
    const other = byCode.get(f.code);
    if (other !== undefined) fail(at('features', n, 'code'), `code ${f.code} is already used by feature "${other}"`);
    byCode.set(f.code, n);
    out.push({ name: n, code: f.code, argument: f.argument });
  }
  return out;
}

/** A dialled string must lead to one thing: extension, application, feature or emergency number. */
function rejectNumberClashes(raw: RawTenant, features: readonly FeatureCode[], at: (...rest: (string | number)[]) => KeyPath): void {
  const owners = new Map<string, string>();
  const claim = (num: string, owner: string, path: KeyPath): void => {
    const other = owners.get(num);
    if (other !== undefined) fail(path, `number ${num} is already ${other}`);
    owners.set(num, owner);
  };
  for (const n of Object.keys(raw.extensions)) claim(n, `extension ${n}`, at('extensions', n));
  for (const [n, a] of Object.entries(raw.applications)) claim(a.number, `application "${n}"`, at('applications', n, 'number'));
  for (const f of features) claim(f.code, `feature "${f.name}"`, at('features', f.name, 'code'));
  for (const [n, e] of Object.entries(raw.emergencyLines)) claim(e.number, `emergency line "${n}"`, at('emergencyLines', n, 'number'));
}

function mapEntries<R, T>(record: Readonly<Record<string, R>>, fn: (name: string, raw: R) => T): Map<string, T> {
  const out = new Map<string, T>();
  for (const [n, r] of Object.entries(record)) out.set(n, fn(n, r));
  return out;
}

function compileLimits(l: NonNullable<RawTenant['limits']>): TenantLimits {
  return {
    ...(l.inbound !== undefined && { inbound: l.inbound }),
    ...(l.outbound !== undefined && { outbound: l.outbound }),
    ...(l.total !== undefined && { total: l.total }),
  };
}

function stripUndefined(c: { name?: string | undefined; number?: string | undefined }): { name?: string; number?: string } {
  return { ...(c.name !== undefined && { name: c.name }), ...(c.number !== undefined && { number: c.number }) };
}
