import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/errors.js';
import { loadConfig, parseConfig } from '../../../src/config/load.js';
import { configErrorOf, tenantYaml } from './helpers.js';

describe('configuration errors name the FILE, the KEY PATH and the PROBLEM', () => {
  it('a valid small tenant loads (the baseline the other cases break)', () => {
    expect(parseConfig(tenantYaml(), 'x.yaml').tenants.get('demo')?.domain).toBe('demo.local');
  });

  it('config/default.yaml: tenants.demo.cos.default.outgoingLines[2]: unknown outgoing line "foo"', () => {
    const e = configErrorOf(
      tenantYaml({
        cos: `{ default: { outgoingLines: [local, local2, foo] } }`,
        outgoingLines: `{ local: { dialStrings: ['NXXNXXXXXX!'], trunks: [k] }, local2: { dialStrings: ['NXXXXXX'], trunks: [k] } }`,
      }),
      'config/default.yaml',
    );
    expect(e.file).toBe('config/default.yaml');
    expect(e.key).toBe('tenants.demo.cos.default.outgoingLines[2]');
    expect(e.problem).toMatch(/^unknown outgoing line "foo"/);
    expect(e.message).toMatch(/^config\/default\.yaml: tenants\.demo\.cos\.default\.outgoingLines\[2\]: unknown outgoing line "foo"/);
  });

  it('an unknown trunk on an outgoing line', () => {
    const e = configErrorOf(tenantYaml({ outgoingLines: `{ local: { dialStrings: ['NXXNXXXXXX!'], trunks: [k, nosuchtrunk] } }` }));
    expect(e.key).toBe('tenants.demo.outgoingLines.local.trunks[1]');
    expect(e.problem).toContain('unknown trunk "nosuchtrunk"');
  });

  it('an unknown include', () => {
    const e = configErrorOf(tenantYaml({ cos: `{ default: { includes: [ghost] } }` }));
    expect(e.key).toBe('tenants.demo.cos.default.includes[0]');
    expect(e.problem).toContain('unknown CoS "ghost"');
  });

  it('an include cycle a → b → a fails at load, naming the cycle', () => {
    const e = configErrorOf(tenantYaml({ cos: `{ default: { includes: [a] }, a: { includes: [b] }, b: { includes: [a] } }` }));
    expect(e.key).toBe('tenants.demo.cos.b.includes[0]');
    expect(e.problem).toBe('include cycle a → b → a');
  });

  it('a CoS including itself is a cycle', () => {
    const e = configErrorOf(tenantYaml({ cos: `{ default: { includes: [default] } }` }));
    expect(e.problem).toBe('include cycle default → default');
  });

  it('a longer include cycle is reported with every step', () => {
    const e = configErrorOf(tenantYaml({ cos: `{ default: { includes: [x] }, x: { includes: [y] }, y: { includes: [z] }, z: { includes: [x] } }` }));
    expect(e.problem).toBe('include cycle x → y → z → x');
  });

  it('unknown emergency line, banned list, extension, service, application, schedule, cosIfNotLogged', () => {
    const cases: [string, string, string][] = [
      [`{ default: { emergencyLines: [e112] } }`, 'tenants.demo.cos.default.emergencyLines[0]', 'unknown emergency line "e112"'],
      [`{ default: { bannedPrefixes: [nope] } }`, 'tenants.demo.cos.default.bannedPrefixes[0]', 'unknown banned-prefix list "nope"'],
      [`{ default: { localExtensions: ['100', '555'] } }`, 'tenants.demo.cos.default.localExtensions[1]', 'unknown extension "555"'],
      [`{ default: { services: [teleport] } }`, 'tenants.demo.cos.default.services[0]', 'unknown feature code "teleport"'],
      [`{ default: { applications: [ivr9] } }`, 'tenants.demo.cos.default.applications[0]', 'unknown application "ivr9"'],
      [`{ default: { schedule: someday } }`, 'tenants.demo.cos.default.schedule', 'unknown time set "someday"'],
      [`{ default: { hotDeskRestriction: { cosIfNotLogged: guest } } }`, 'tenants.demo.cos.default.hotDeskRestriction.cosIfNotLogged', 'unknown CoS "guest"'],
    ];
    for (const [cos, key, problem] of cases) {
      const e = configErrorOf(tenantYaml({ cos }));
      expect(e.key, cos).toBe(key);
      expect(e.problem, cos).toContain(problem);
    }
  });

  it('an extension naming a missing CoS', () => {
    const e = configErrorOf(tenantYaml({ extensions: `{ '100': { password: p, cos: vip } }` }));
    expect(e.key).toBe('tenants.demo.extensions.100.cos');
    expect(e.problem).toContain('unknown CoS "vip"');
  });

  it('a bad dial string names the line and the index', () => {
    const e = configErrorOf(tenantYaml({ outgoingLines: `{ local: { dialStrings: ['NXX', '9.11'], trunks: [k] } }` }));
    expect(e.key).toBe('tenants.demo.outgoingLines.local.dialStrings[1]');
    expect(e.problem).toContain('only allowed at the end');
  });

  it('line names with dots are quoted in the key path', () => {
    const e = configErrorOf(tenantYaml({ outgoingLines: `{ '011X.': { dialStrings: ['011X.'], trunks: [zz] } }`, cos: '{ default: {} }' }));
    expect(e.key).toBe('tenants.demo.outgoingLines["011X."].trunks[0]');
  });

  it('stripping more digits than the line can match is an error', () => {
    const e = configErrorOf(tenantYaml({ outgoingLines: `{ local: { dialStrings: ['[2-8]11'], strip: 4, trunks: [k] } }` }));
    expect(e.key).toBe('tenants.demo.outgoingLines.local.strip');
  });

  it('a schema problem (wrong transport) and a typo (unknown key) name the key', () => {
    const bad = configErrorOf(tenantYaml({ trunks: `{ k: { host: 127.0.0.9, transport: sctp } }` }));
    expect(bad.key).toBe('tenants.demo.trunks.k.transport');
    const typo = configErrorOf(tenantYaml({ trunks: `{ k: { host: 127.0.0.9, prot: 5060 } }` }));
    expect(typo.key).toBe('tenants.demo.trunks.k');
    expect(typo.problem).toBe('unknown key "prot"');
  });

  it('digest algorithms per tenant and extension: an unknown or repeated algorithm names the key', () => {
    const ok = parseConfig(tenantYaml({ auth: '{ algorithms: [SHA-256, MD5] }', extensions: `{ '100': { password: p, auth: { algorithms: [SHA-256] } } }` }), 'x.yaml');
    expect(ok.tenants.get('demo')?.authAlgorithms).toEqual(['SHA-256', 'MD5']);
    expect(ok.tenants.get('demo')?.extensions.get('100')?.authAlgorithms).toEqual(['SHA-256']);
    expect(configErrorOf(tenantYaml({ auth: '{ algorithms: [SHA-512] }' })).key).toBe('tenants.demo.auth.algorithms[0]');
    const twice = configErrorOf(tenantYaml({ extensions: `{ '100': { password: p, auth: { algorithms: [MD5, MD5] } } }` }));
    expect(twice.key).toBe('tenants.demo.extensions.100.auth.algorithms');
    expect(twice.problem).toContain('lists an algorithm twice');
  });

  it('a missing required key', () => {
    const e = configErrorOf(tenantYaml({ trunks: `{ k: { port: 5060 } }` }));
    expect(e.key).toBe('tenants.demo.trunks.k.host');
    expect(e.problem).toBe('required');
  });

  it('an extension without a password (unless hot-desk)', () => {
    const e = configErrorOf(tenantYaml({ extensions: `{ '100': { displayName: x } }` }));
    expect(e.key).toBe('tenants.demo.extensions.100.password');
  });

  it('an extension number with "_" (reserved for shared devices)', () => {
    const e = configErrorOf(tenantYaml({ extensions: `{ '100_2': { password: p } }`, cos: '{ default: {} }' }));
    expect(e.key).toBe('tenants.demo.extensions.100_2');
  });

  it('one number, two meanings (extension and feature code)', () => {
    const e = configErrorOf(tenantYaml({ extensions: `{ '100': { password: p } }`, features: `{ voicemail: { code: '100' } }` }));
    expect(e.problem).toContain('number 100 is already extension 100');
  });

  it('a bad time set names the period and the field', () => {
    const e = configErrorOf(tenantYaml({ timeSets: `{ office: { periods: [{ days: mon-fri }, { hours: '8-25' }] } }` }));
    expect(e.key).toBe('tenants.demo.timeSets.office.periods[1].hours');
    expect(e.problem).toContain('outside 0-23');
  });

  it('a YAML syntax error names the file and the line', () => {
    const e = configErrorOf('tenants:\n  demo: [unclosed\n', 'broken.yaml');
    expect(e.file).toBe('broken.yaml');
    expect(e.key).toBe('');
    expect(e.problem).toMatch(/YAML syntax error/);
    expect(e.line).toBeGreaterThan(0);
  });

  it('errors carry the line of the offending key', () => {
    const e = configErrorOf(tenantYaml({ outgoingLines: `{ local: { dialStrings: ['NXXNXXXXXX!'], trunks: [nope] } }` }));
    expect(e.line).toBe(6);
  });

  it('a missing file is a ConfigError naming the file', () => {
    expect(() => loadConfig('/nonexistent/x.yaml')).toThrow(ConfigError);
    expect(() => loadConfig('/nonexistent/x.yaml')).toThrow(/^\/nonexistent\/x\.yaml: cannot read file/);
  });

  it('digit strings keep what was written: +1, 0100 and 011 are not numbers', () => {
    const c = parseConfig(
      tenantYaml({
        outgoingLines: `{ local: { dialStrings: [NXXNXXXXXX!], prefix: +1, trunks: [k] } }`,
        extensions: `{ 0100: { password: p } }`,
        cos: `{ default: { outgoingLines: [local] } }`,
      }),
      'x.yaml',
    );
    const t = c.tenants.get('demo')!;
    expect(t.outgoingLines[0]!.manipulation.prefix).toBe('+1');
    expect([...t.extensions.keys()]).toEqual(['0100']);
  });
});
