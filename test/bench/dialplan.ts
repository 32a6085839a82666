// Benchmark: routing decisions per second for a realistic CoS (30 outgoing lines over a root CoS and
// 3 includes, a banned list of 50 prefixes). Run alone: npx tsx test/bench/dialplan.ts [--short]
import { parseConfig } from '../../src/config/load.js';
import type { Tenant } from '../../src/domain/model.js';
import { resolveCaller, type CallingParty } from '../../src/domain/routing/caller.js';
import { decideRoute } from '../../src/domain/routing/decide.js';
import { runIfMain } from './run-if-main.js';

const AREA_CODES = ['416', '647', '437', '905', '289', '365', '613', '343', '705', '249', '519', '226', '807', '514', '438', '450', '579', '819'];

function benchTenantYaml(): string {
  const lines: string[] = [];
  const add = (name: string, dial: string, extra = ''): void => {
    lines.push(`      ${name}: { dialStrings: ['${dial}'], trunks: [primary, secondary]${extra} }`);
  };
  // 30 lines: 8 specific toll-free/private/service lines, 18 per-area-code LD lines, 4 broad ones.
  add('private-ld', '*671NXXNXXXXXX!', ", strip: 4, prefix: '+1', callerId: { presentation: restricted }");
  add('private-local', '*67NXXNXXXXXX!', ', strip: 3, callerId: { presentation: restricted }');
  for (const tf of ['800', '844', '855', '866', '877', '888']) add(`tollfree${tf}`, `1${tf}NXXXXXX`);
  AREA_CODES.forEach((ac) => add(`ld${ac}`, `1${ac}NXXXXXX!`, ", strip: 1, prefix: '+1'"));
  add('longdistance', '1NXXNXXXXXX!', ", strip: 1, prefix: '+1'");
  add('local', 'NXXNXXXXXX!');
  add('international', '011X.');
  add('carrierservices', '[2-8]11');
  const names = lines.map((l) => l.trim().split(':')[0]!);
  const banned = Array.from({ length: 50 }, (_, i) => (i < 7 ? ['1976', '1900', '*671976', '*671900', '01976', '01900', '0011'][i]! : `1${900 + (i % 80)}${i}`));
  const list = (xs: string[]): string => `[${xs.join(', ')}]`;
  const extensions = Array.from({ length: 40 }, (_, i) => `      '${200 + i}': { password: p${i}, cos: staff }`).join('\n');
  return `
tenants:
  bench:
    domain: bench.example
    extensions:
${extensions}
    cos:
      staff:
        emergencyLines: [e911]
        includes: [specific, regional, general]
        outgoingLines: ${list(names.slice(0, 8))}
        bannedPrefixes: [premium]
        services: [hotDeskLogin, voicemail]
      specific: { outgoingLines: ${list(names.slice(8, 17))}, localExtensions: all }
      regional: { outgoingLines: ${list(names.slice(17, 26))} }
      general: { outgoingLines: ${list(names.slice(26))} }
    outgoingLines:
${lines.join('\n')}
      premiumservices: { dialStrings: ['1900XXXXXXX!'], trunks: [primary] }
    bannedPrefixes:
      premium: { prefixes: '${banned.join(' ')}' }
    emergencyLines:
      e911: { number: '911', trunks: [primary, secondary] }
    trunks:
      primary: { host: 127.0.0.51 }
      secondary: { host: 127.0.0.52 }
`;
}

/** A realistic mix: mostly outbound (early and late lines), some internal, banned, emergency, misses. */
const MIX: readonly (readonly [string, string])[] = [
  ['4165551212', 'outbound'],
  ['19055551234', 'outbound'],
  ['18005551234', 'outbound'],
  ['*6719055551234', 'outbound'],
  ['0114412345678', 'outbound'],
  ['14165551212', 'outbound'],
  ['16135550000', 'outbound'],
  ['18195550000', 'outbound'],
  ['311', 'outbound'],
  ['205', 'local'],
  ['231', 'local'],
  ['19005551234', 'reject'],
  ['911', 'emergency'],
  ['*97', 'feature'],
  ['5551', 'reject'],
  ['17055551234', 'outbound'],
];
const DIALLED = MIX.map(([d]) => d);

export async function benchDialplan(opts: { short: boolean }): Promise<{ name: string; figures: Record<string, number | string> }> {
  const config = parseConfig(benchTenantYaml(), 'bench.yaml');
  const tenant = config.tenants.get('bench') as Tenant;
  const caller: CallingParty = resolveCaller(tenant, '200');
  const at = Date.parse('2024-03-12T14:00:00Z');
  const decide = (dialled: string): string => decideRoute({ tenant, caller, dialled, at }).action;

  for (const [dialled, expected] of MIX) {
    const got = decide(dialled);
    if (got !== expected) throw new Error(`bench tenant is wrong: ${dialled} gave ${got}, expected ${expected}`);
  }
  if (config.warnings.length > 0) throw new Error(`bench tenant has warnings: ${config.warnings.map((w) => w.problem).join('; ')}`);

  const durationMs = opts.short ? 300 : 2000;
  const mix = measure(durationMs, (i) => decide(DIALLED[i % DIALLED.length]!));
  const worst = measure(durationMs / 2, () => decide('5551'));
  const lastLine = measure(durationMs / 2, () => decide('311'));
  return {
    name: 'dialplan',
    figures: {
      'decisions/s (mix)': Math.round(mix.perSecond),
      'µs CPU per decision (mix)': round(mix.cpuMicrosPerOp),
      'decisions/s (404 miss: every line + outside-CoS scan)': Math.round(worst.perSecond),
      'decisions/s (last line of the CoS)': Math.round(lastLine.perSecond),
      'outgoing lines in CoS': 30,
      includes: 3,
      'banned prefixes': 50,
      'target decisions/s': 200_000,
    },
  };
}

function measure(durationMs: number, fn: (i: number) => unknown): { perSecond: number; cpuMicrosPerOp: number } {
  for (let i = 0; i < 20_000; i++) fn(i); // warm-up (JIT, caches)
  let n = 0;
  const cpu0 = process.cpuUsage();
  const start = process.hrtime.bigint();
  const limit = BigInt(Math.round(durationMs * 1e6));
  let elapsed = 0n;
  while (elapsed < limit) {
    for (let k = 0; k < 1000; k++) fn(n++);
    elapsed = process.hrtime.bigint() - start;
  }
  const cpu = process.cpuUsage(cpu0);
  return { perSecond: n / (Number(elapsed) / 1e9), cpuMicrosPerOp: (cpu.user + cpu.system) / n };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

runIfMain(import.meta.url, benchDialplan);
