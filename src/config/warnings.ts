import { patternCovers } from '../domain/dialplan/inclusion.js';
import { resolveEffectiveCos } from '../domain/cos/resolve.js';
import type { EffectiveCos } from '../domain/cos/effective-cos.js';
import type { CosDefinition, Tenant } from '../domain/model.js';
import { formatKeyPath, type ConfigWarning } from './errors.js';
import { judgeForward } from '../domain/forwarding/judge-forward.js';

/** Numbers that should never leave on a business PBX's default CoS [001]. */
const RISKY_SAMPLES: readonly { readonly number: string; readonly what: string }[] = [
  { number: '19005551234', what: 'premium service' },
  { number: '19765551234', what: 'premium service' },
  { number: '101032119055551234', what: 'casual dial' },
  { number: '09055551234', what: 'operator assisted' },
];

/** Load-time advice: shadowed lines and risky permissions. Never fatal. */
export function tenantWarnings(file: string, tenant: Tenant): ConfigWarning[] {
  const out: ConfigWarning[] = [];
  const seen = new Set<string>();
  const warn = (path: (string | number)[], problem: string, kind: ConfigWarning['kind']): void => {
    const key = formatKeyPath(['tenants', tenant.name, ...path]);
    if (seen.has(key + problem)) return;
    seen.add(key + problem);
    out.push({ file, key, problem, kind });
  };

  for (const cos of analysedCos(tenant)) {
    // Schedules are ignored: a line shadowed at any time is a configuration smell.
    const eff = resolveEffectiveCos(tenant, [cos], 'always');
    shadowWarnings(cos, eff, warn);
    const warnedKinds = new Set<string>();
    for (const sample of RISKY_SAMPLES) {
      if (warnedKinds.has(sample.what) || eff.banned.longestPrefixOf(sample.number) !== undefined) continue;
      const hit = eff.linePatterns.find((lp) => lp.pattern.matches(sample.number));
      if (hit !== undefined) {
        warnedKinds.add(sample.what);
        warn(
          ['cos', cos.name, 'outgoingLines'],
          `${sample.what} numbers (e.g. ${sample.number}) are allowed out on line "${hit.line.name}" (${hit.pattern.source}); add a banned-prefix list or remove the line`,
          'risky',
        );
      }
    }
  }
  for (const line of tenant.incomingLines.values()) {
    if (line.cos !== undefined) riskyUntrustedCos(line.cos, ['incomingLines', line.name, 'cos'], `incoming line "${line.name}"`, tenant, warn);
  }
  for (const app of tenant.applications.values()) {
    if (app.cos !== undefined) riskyUntrustedCos(app.cos, ['applications', app.name, 'cos'], `application "${app.name}"`, tenant, warn);
  }
  forwardWarnings(tenant, warn);
  return out;
}

/** A configured forward its own extension's CoS refuses would fail on every call it applies to. */
function forwardWarnings(tenant: Tenant, warn: Warn): void {
  for (const ext of tenant.extensions.values()) {
    for (const f of ext.forwards) {
      // judged at a moment the time set (if any) allows would be exact; "now" is a fair sample
      const j = judgeForward(tenant, ext, f.to, Date.now(), [ext.number]);
      if (j.kind === 'refused') warn(['extensions', ext.number, 'forward', f.kind, 'to'], `this forward will be refused (${j.status}): ${j.why}`, 'risky');
    }
  }
}

/**
 * CoS objects that can be the starting point of a decision. One that is only ever included by
 * others is judged as part of them (a fragment without its own banned list is normal).
 */
function analysedCos(tenant: Tenant): CosDefinition[] {
  const used = new Set<CosDefinition>();
  for (const e of tenant.extensions.values()) used.add(e.cos);
  for (const l of tenant.incomingLines.values()) if (l.cos) used.add(l.cos);
  for (const a of tenant.applications.values()) if (a.cos) used.add(a.cos);
  const included = new Set<CosDefinition>();
  for (const c of tenant.cos.values()) {
    c.includes.forEach((i) => included.add(i));
    if (c.hotDeskRestriction) used.add(c.hotDeskRestriction.cosIfNotLogged);
    if (c.pinCodes.length > 0) used.add(c);
  }
  return [...tenant.cos.values()].filter((c) => used.has(c) || !included.has(c));
}

type Warn = (path: (string | number)[], problem: string, kind: ConfigWarning['kind']) => void;

function shadowWarnings(cos: CosDefinition, eff: EffectiveCos, warn: Warn): void {
  const lps = eff.linePatterns;
  for (let j = 0; j < lps.length; j++) {
    const later = lps[j]!;
    for (let i = 0; i < j; i++) {
      const earlier = lps[i]!;
      if (earlier.line === later.line || !patternCovers(earlier.pattern, later.pattern)) continue;
      const position = eff.lines.indexOf(later.line);
      const own = cos.outgoingLines !== 'all' && cos.outgoingLines.includes(later.line);
      warn(
        own ? ['cos', cos.name, 'outgoingLines', (cos.outgoingLines as readonly unknown[]).indexOf(later.line)] : ['cos', cos.name, 'outgoingLines'],
        `line "${later.line.name}" (${later.pattern.source}, position ${position + 1}) is shadowed by the earlier, broader line "${earlier.line.name}" (${earlier.pattern.source}): move it above`,
        'shadowed-line',
      );
      break;
    }
  }
}

/** DOMAIN §5 security: whoever reaches an IVR or incoming line gets its CoS. */
function riskyUntrustedCos(cos: CosDefinition, path: (string | number)[], who: string, tenant: Tenant, warn: Warn): void {
  const eff = resolveEffectiveCos(tenant, [cos], 'always');
  if (eff.services.all) warn(path, `${who} runs with CoS "${cos.name}" which grants ALL services, so every caller could reach forwarding, spy or DISA features`, 'risky');
  if (eff.applications.all) warn(path, `${who} runs with CoS "${cos.name}" which grants ALL applications`, 'risky');
  if (eff.lines.length > 0) warn(path, `${who} runs with CoS "${cos.name}" which grants outgoing lines (${eff.lines.map((l) => l.name).join(', ')}): outside callers could call out`, 'risky');
}
