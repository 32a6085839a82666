import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REFERENCE_TENANT, dial, tenantFromYaml } from './fixtures.js';

const tenant = tenantFromYaml(REFERENCE_TENANT);

describe('DOMAIN §5 decision order', () => {
  it('1. emergency: 911 is matched before anything else', () => {
    expect(dial(tenant, '100', '911')).toMatchObject({
      action: 'emergency',
      line: 'e911',
      number: '911',
      trunks: ['bellprimarysbc', 'bellsecondarysbc'],
      record: true,
      rule: { step: 'emergency' },
    });
  });

  it('1. emergency numbers are allowed from every extension, even a CoS without emergency lines', () => {
    // 102's CoS `internal` has no emergency line, nor has 300's nor the hot-desk phone's.
    for (const from of ['102', '300', '103']) {
      expect(dial(tenant, from, '911')).toMatchObject({ action: 'emergency', number: '911' });
    }
  });

  it('emergency is never blocked whatever the CoS (banned prefixes, wildcard lines, schedules, hot-desk)', () => {
    const t = tenantFromYaml(`
tenants:
  t:
    domain: t
    extensions: { '100': { password: p, cos: hostile } }
    cos:
      hostile: { outgoingLines: [anything], bannedPrefixes: [everything], localExtensions: [], schedule: never, hotDeskRestriction: { cosIfNotLogged: nothing } }
      nothing: { localExtensions: [] }
    outgoingLines: { anything: { dialStrings: ['!'], accessCode: '9', trunks: [k] } }
    bannedPrefixes: { everything: { prefixes: '0 1 2 3 4 5 6 7 8 9 * #' } }
    emergencyLines: { e911: { number: '911', trunks: [k] }, e112: { number: '112', numberToDial: '911', trunks: [k] } }
    timeSets: { never: { periods: [{ months: feb, monthDays: '30' }] } }
    trunks: { k: { host: 127.0.0.9 } }
`);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_000_000_000_000 }), fc.constantFrom('911', '112'), (at, num) => {
        const d = dial(t, '100', num, { at });
        expect(d.action).toBe('emergency');
      }),
      { numRuns: 200 },
    );
    expect(dial(t, '100', '112')).toMatchObject({ number: '911' });
  });

  it("emergency calls present the extension's emergency caller ID", () => {
    expect(dial(tenant, '100', '911')).toMatchObject({ callerId: { number: '4165550199' } });
    expect(dial(tenant, '100_3', '911')).toMatchObject({ callerId: { number: '4165550199' } });
  });

  it('2. banned prefix list 1976 1900 *671976 *671900 01976 01900 0011 rejects with 403', () => {
    for (const num of ['19765551234', '19005551234', '*6719765551234', '*6719005551234', '019765551234', '019005551234', '0011441234']) {
      expect(dial(tenant, '100', num), num).toMatchObject({ action: 'reject', status: 403, reason: 'banned-prefix' });
    }
  });

  it('2. banned prefixes beat wildcard lines: 19005551234 would match 1NXXNXXXXXX! but is rejected', () => {
    const d = dial(tenant, '100', '19005551234');
    expect(d).toMatchObject({ action: 'reject', status: 403, rule: { step: 'banned-prefix', bannedPrefix: '1900', bannedList: 'premium' } });
    // Without the list, the same CoS would let it out: the ban (not a missing line) decided.
    const unbanned = tenantFromYaml(REFERENCE_TENANT.replace('bannedPrefixes: [premium]', 'bannedPrefixes: []'));
    expect(dial(unbanned, '100', '19005551234')).toMatchObject({ action: 'outbound', line: 'longdistance' });
  });

  it('2. banned prefixes beat wildcard lines, whatever the rest of the number', () => {
    const t = tenantFromYaml(`
tenants:
  t:
    domain: t
    extensions: { '100': { password: p } }
    cos: { default: { outgoingLines: [all-numbers], bannedPrefixes: [premium] } }
    outgoingLines: { all-numbers: { dialStrings: ['X.'], trunks: [k] } }
    bannedPrefixes: { premium: { prefixes: [ '1900', '1976' ], destination: { hangup: 503 } } }
    trunks: { k: { host: 127.0.0.9 } }
`);
    fc.assert(
      fc.property(fc.constantFrom('1900', '1976'), fc.stringMatching(/^[0-9]{0,10}$/), (prefix, rest) => {
        expect(dial(t, '100', prefix + rest)).toMatchObject({ action: 'reject', status: 503, reason: 'banned-prefix' });
      }),
    );
    expect(dial(t, '100', '19015551234')).toMatchObject({ action: 'outbound' });
  });

  it('2. a banned-prefix list can send the call to a destination instead of rejecting', () => {
    const t = tenantFromYaml(REFERENCE_TENANT.replace("premium: { prefixes: '1976 1900 *671976 *671900 01976 01900 0011' }", "premium: { prefixes: '1900', destination: { extension: '101' } }"));
    expect(dial(t, '100', '19005551234')).toMatchObject({ action: 'local', extension: '101', rule: { step: 'banned-prefix' } });
  });

  it('3. feature codes allowed by the CoS: *22 hot-desk login', () => {
    expect(dial(tenant, '100', '*22')).toMatchObject({ action: 'feature', feature: 'hotDeskLogin', argument: '' });
  });

  it('3. a feature code with an argument: *72 followed by the forward target', () => {
    expect(dial(tenant, '100', '*724165551212')).toMatchObject({ action: 'feature', feature: 'callForwardUnconditional', argument: '4165551212' });
  });

  it('3. a feature code the CoS does not grant answers 403', () => {
    expect(dial(tenant, '100', '*78')).toMatchObject({ action: 'reject', status: 403, reason: 'feature-not-in-cos' });
    expect(dial(tenant, '102', '*22')).toMatchObject({ action: 'reject', status: 403, reason: 'feature-not-in-cos' });
  });

  it('4. local extensions allowed by the CoS', () => {
    expect(dial(tenant, '101', '100')).toMatchObject({ action: 'local', extension: '100' });
  });

  it('4. an extension not in the CoS list answers 403, not 404', () => {
    expect(dial(tenant, '300', '100')).toMatchObject({ action: 'local', extension: '100' });
    expect(dial(tenant, '300', '101')).toMatchObject({ action: 'reject', status: 403, reason: 'extension-not-in-cos' });
  });

  it('4. a local extension is matched before an outgoing line with the same pattern (211 vs [2-8]11)', () => {
    expect(dial(tenant, '100', '211')).toMatchObject({ action: 'local', extension: '211' });
    expect(dial(tenant, '100', '311')).toMatchObject({ action: 'outbound', line: 'carrierservices', number: '311' });
  });

  it('5. outgoing lines in the CoS order: the first whose dial string matches wins', () => {
    // 18005551234 matches tollfree AND 1NXXNXXXXXX!; tollfree is listed first.
    expect(dial(tenant, '100', '18005551234')).toMatchObject({ action: 'outbound', line: 'tollfree', number: '18005551234' });
    const reordered = tenantFromYaml(REFERENCE_TENANT.replace('tollfree, longdistance,', 'longdistance, tollfree,'));
    expect(dial(reordered, '100', '18005551234')).toMatchObject({ action: 'outbound', line: 'longdistance', number: '+18005551234' });
  });

  it('5. a line not in the CoS is never used, even if its pattern matches', () => {
    const t = tenantFromYaml(REFERENCE_TENANT.replace('bannedPrefixes: [premium]', 'bannedPrefixes: []'));
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9*#]{1,18}$/), fc.constantFrom('100', '101', '102', '300', '103'), (num, from) => {
        const d = dial(t, from, num);
        if (d.action === 'outbound') {
          const cosName = from === '102' || from === '103' ? 'internal' : from === '300' ? 'restricted' : 'default';
          const granted: Record<string, string[]> = {
            default: ['private-tollfree', 'private-longdistance', 'private-local', 'tollfree', 'longdistance', 'local', 'international', 'carrierservices'],
            restricted: ['carrierservices'],
            internal: [],
          };
          expect(granted[cosName]).toContain(d.line);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('6. nothing matched → 404', () => {
    expect(dial(tenant, '100', '555')).toMatchObject({ action: 'reject', status: 404, reason: 'no-route' });
  });

  it('6. nothing in the CoS matched but a line outside it would have → 403, naming the skipped line', () => {
    const d = dial(tenant, '100', '101032119055551234');
    expect(d).toMatchObject({ action: 'reject', status: 403, reason: 'line-not-in-cos', rule: { skippedLines: ['casualdial'] } });
    expect(dial(tenant, '102', '4165551212')).toMatchObject({ action: 'reject', status: 403, rule: { skippedLines: ['local'] } });
  });

  it('the rule explains the chosen line and, on request, lines skipped as not in the CoS', () => {
    const d = dial(tenant, '100', '4165551212', { explain: true });
    expect(d).toMatchObject({ action: 'outbound', line: 'local', rule: { step: 'outgoing-line', skippedLines: [], cos: ['default'] } });
    const wide = tenantFromYaml(REFERENCE_TENANT.replace('casualdial: {', "wildcard: { dialStrings: ['X.'], trunks: [bellsecondarysbc] }\n      casualdial: {"));
    expect(dial(wide, '100', '4165551212', { explain: true })).toMatchObject({ line: 'local', rule: { skippedLines: ['wildcard'] } });
    expect(d.rule.detail).toContain('NXXNXXXXXX!');
  });
});

describe('DOMAIN §1 shared devices and routing', () => {
  it("a call placed from device 100_2 is a call from extension 100: 100's caller ID and CoS", () => {
    const d = dial(tenant, '100_2', '4165551212');
    expect(d).toMatchObject({ action: 'outbound', callerId: { name: 'Alice', number: '4165550100' }, rule: { cos: ['default'] } });
  });
  it('100_2 is not dialable (treated as an unknown number by routing)', () => {
    expect(dial(tenant, '101', '100_2')).toMatchObject({ action: 'reject', status: 404 });
  });
});
