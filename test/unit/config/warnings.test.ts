import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import { tenantYaml } from './helpers.js';

const warningsOf = (yaml: string) => parseConfig(yaml, 'w.yaml').warnings;

describe('load-time warnings', () => {
  it('1800NXXXXXX! placed after 1NXXNXXXXXX! is shadowed', () => {
    const w = warningsOf(
      tenantYaml({
        cos: `{ default: { outgoingLines: [ld, tf] } }`,
        outgoingLines: `{ ld: { dialStrings: ['1NXXNXXXXXX!'], trunks: [k] }, tf: { dialStrings: ['1800NXXXXXX!'], trunks: [k] } }`,
      }),
    );
    const shadowed = w.filter((x) => x.kind === 'shadowed-line');
    expect(shadowed).toHaveLength(1);
    expect(shadowed[0]).toMatchObject({ kind: 'shadowed-line', file: 'w.yaml', key: 'tenants.demo.cos.default.outgoingLines[1]' });
    expect(shadowed[0]!.problem).toContain('"tf"');
    expect(shadowed[0]!.problem).toContain('"ld"');
  });

  it('the same lines in the recommended order (specific first) are not shadowed', () => {
    const w = warningsOf(
      tenantYaml({
        cos: `{ default: { outgoingLines: [tf, ld] } }`,
        outgoingLines: `{ ld: { dialStrings: ['1NXXNXXXXXX!'], trunks: [k] }, tf: { dialStrings: ['1800NXXXXXX!'], trunks: [k] } }`,
      }),
    );
    expect(w.filter((x) => x.kind === 'shadowed-line')).toEqual([]);
  });

  it('011X. placed after X. is shadowed; a partially overlapping line is not', () => {
    const w = warningsOf(
      tenantYaml({
        cos: `{ default: { outgoingLines: [any, intl, star] } }`,
        outgoingLines: `{ any: { dialStrings: ['X.'], trunks: [k] }, intl: { dialStrings: ['011X.'], trunks: [k] }, star: { dialStrings: ['*X.'], trunks: [k] } }`,
      }),
    );
    const shadowed = w.filter((x) => x.kind === 'shadowed-line');
    expect(shadowed.map((x) => x.key)).toEqual(['tenants.demo.cos.default.outgoingLines[1]']);
  });

  it('a line with premium numbers allowed (no banned list) is risky', () => {
    const w = warningsOf(
      tenantYaml({
        cos: `{ default: { outgoingLines: [ld] } }`,
        outgoingLines: `{ ld: { dialStrings: ['1NXXNXXXXXX!'], trunks: [k] } }`,
      }),
    );
    const risky = w.filter((x) => x.kind === 'risky');
    expect(risky).toHaveLength(1);
    expect(risky[0]!.problem).toContain('premium service numbers (e.g. 19005551234) are allowed out on line "ld"');
  });

  it('with the premium banned-prefix list on, the same CoS is not risky', () => {
    const w = warningsOf(
      tenantYaml({
        cos: `{ default: { outgoingLines: [ld], bannedPrefixes: [premium] } }`,
        outgoingLines: `{ ld: { dialStrings: ['1NXXNXXXXXX!'], trunks: [k] } }`,
        bannedPrefixes: `{ premium: { prefixes: '1976 1900' } }`,
      }),
    );
    expect(w).toEqual([]);
  });

  it('an incoming line or IVR whose CoS grants all services is risky', () => {
    const w = warningsOf(
      tenantYaml({
        cos: `{ default: {}, ivr: { services: all } }`,
        incomingLines: `{ main: { dnis: '4165550100', destination: { extension: '100' }, cos: ivr } }`,
        applications: `{ menu: { number: '800', kind: ivr, cos: ivr, menu: { prompts: [main-menu] } } }`,
      }),
    );
    const keys = w.filter((x) => x.kind === 'risky').map((x) => x.key);
    expect(keys).toContain('tenants.demo.incomingLines.main.cos');
    expect(keys).toContain('tenants.demo.applications.menu.cos');
  });

  it('an unknown top-level section is kept for other modules, with a warning', () => {
    const c = parseConfig(`conference: { rooms: 3 }\n${tenantYaml()}`, 'w.yaml');
    expect(c.warnings).toEqual([expect.objectContaining({ kind: 'unknown-section', key: 'conference' })]);
    expect((c.raw as Record<string, unknown>).conference).toEqual({ rooms: '3' }); // numbers stay as written
  });
});

describe('load-time warnings judge CoS objects where decisions start', () => {
  it('a CoS fragment only used as an include is judged with its includer (no warning when the includer bans premium)', () => {
    const yaml = tenantYaml({
      cos: `{ default: { includes: [ldfragment], bannedPrefixes: [premium] }, ldfragment: { outgoingLines: [ld] } }`,
      outgoingLines: `{ ld: { dialStrings: ['1NXXNXXXXXX!'], trunks: [k] } }`,
      bannedPrefixes: `{ premium: { prefixes: '1976 1900' } }`,
    });
    expect(warningsOf(yaml)).toEqual([]);
    // The same fragment assigned to an extension is a starting point, hence risky.
    const assigned = yaml.replace("'100': { password: p }", "'100': { password: p }, '101': { password: p, cos: ldfragment }");
    expect(warningsOf(assigned).map((w) => w.key)).toEqual(['tenants.demo.cos.ldfragment.outgoingLines']);
  });
});
