import { describe, expect, it } from 'vitest';
import { decideRoute } from '../../../src/domain/routing/decide.js';
import { REFERENCE_TENANT, TUESDAY_10AM_TORONTO, dial, tenantFromYaml } from './fixtures.js';

const SATURDAY_10AM_TORONTO = Date.parse('2024-03-16T10:00:00-04:00');
const TUESDAY_9PM_TORONTO = Date.parse('2024-03-12T21:00:00-04:00');

const layered = tenantFromYaml(`
tenants:
  t:
    domain: t
    timeZone: America/Toronto
    extensions:
      '100': { password: p, cos: staff }
      '101': { password: p, cos: lobby }
      '102': { password: p, cos: looped-a }
    cos:
      staff:
        includes: [local-calls, office-hours-ld, banned]
        localExtensions: ['101']
      local-calls: { outgoingLines: [local], localExtensions: ['102'] }
      office-hours-ld: { outgoingLines: [longdistance], schedule: officeHours, services: [voicemail] }
      banned: { bannedPrefixes: [premium] }
      lobby: { outgoingLines: [], localExtensions: ['100'] }
      manager: { outgoingLines: [international, longdistance], pinCodes: ['4321'] }
      looped-a: { includes: [looped-b] }
      looped-b: { outgoingLines: [local] }
    outgoingLines:
      local: { dialStrings: ['NXXNXXXXXX!'], trunks: [k] }
      longdistance: { dialStrings: ['1NXXNXXXXXX!'], strip: 1, prefix: '+1', trunks: [k] }
      international: { dialStrings: ['011X.'], trunks: [k] }
    bannedPrefixes: { premium: { prefixes: '1900 1976' } }
    timeSets: { officeHours: { periods: [{ days: mon-fri, hours: 08-17 }] } }
    trunks: { k: { host: 127.0.0.9 } }
`);

describe('DOMAIN §5 CoS includes: permissions are the union', () => {
  it('lines, local extensions, banned prefixes and services of included CoS objects all apply', () => {
    expect(dial(layered, '100', '4165551212')).toMatchObject({ action: 'outbound', line: 'local' });
    expect(dial(layered, '100', '101')).toMatchObject({ action: 'local' });
    expect(dial(layered, '100', '102')).toMatchObject({ action: 'local' });
    expect(dial(layered, '100', '19005551234')).toMatchObject({ action: 'reject', reason: 'banned-prefix' });
    expect(dial(layered, '100', '*97')).toMatchObject({ action: 'feature', feature: 'voicemail' });
    expect(dial(layered, '100', '4165551212').rule.cos).toEqual(['staff', 'local-calls', 'office-hours-ld', 'banned']);
  });
  it('includes are transitive', () => {
    expect(dial(layered, '102', '4165551212')).toMatchObject({ action: 'outbound', line: 'local' });
  });
});

describe('DOMAIN §5 CoS schedule: a CoS applies only during its schedule', () => {
  it('long distance from an office-hours CoS works on Tuesday 10:00 (Toronto)', () => {
    expect(dial(layered, '100', '19055551234', { at: TUESDAY_10AM_TORONTO })).toMatchObject({ action: 'outbound', number: '+19055551234' });
  });
  it('the same call on Saturday or at 21:00 is forbidden (403: the line exists but the CoS does not grant it now)', () => {
    for (const at of [SATURDAY_10AM_TORONTO, TUESDAY_9PM_TORONTO]) {
      expect(dial(layered, '100', '19055551234', { at })).toMatchObject({ action: 'reject', status: 403, reason: 'line-not-in-cos' });
      expect(dial(layered, '100', '*97', { at })).toMatchObject({ action: 'reject', status: 403 });
    }
  });
});

describe('DOMAIN §5 "Set Class of Service by PIN code"', () => {
  it('the lobby phone cannot call out, but can with the manager PIN', () => {
    expect(dial(layered, '101', '0114412345678')).toMatchObject({ action: 'reject', status: 403 });
    expect(dial(layered, '101', '0114412345678', { pin: '4321' })).toMatchObject({ action: 'outbound', line: 'international' });
  });
  it("the PIN adds to the caller's CoS (local extensions of the lobby stay reachable)", () => {
    expect(dial(layered, '101', '100', { pin: '4321' })).toMatchObject({ action: 'local' });
  });
  it('a wrong PIN elevates nothing', () => {
    expect(dial(layered, '101', '0114412345678', { pin: '0000' })).toMatchObject({ action: 'reject', status: 403 });
  });
});

describe('outgoing-line PIN (authentication before the trunk)', () => {
  const t = tenantFromYaml(`
tenants:
  t:
    domain: t
    extensions: { '100': { password: p } }
    cos: { default: { outgoingLines: [intl] } }
    outgoingLines: { intl: { dialStrings: ['011X.'], trunks: [k], pins: ['2468'] } }
    trunks: { k: { host: 127.0.0.9 } }
`);
  it('without a PIN the call is refused with pin-required', () => {
    expect(dial(t, '100', '01144123')).toMatchObject({ action: 'reject', status: 403, reason: 'pin-required', rule: { step: 'line-pin' } });
  });
  it('a wrong PIN is refused, the right one goes out', () => {
    expect(dial(t, '100', '01144123', { pin: '1111' })).toMatchObject({ action: 'reject', reason: 'wrong-pin' });
    expect(dial(t, '100', '01144123', { pin: '2468' })).toMatchObject({ action: 'outbound', number: '01144123' });
  });
});

describe('DOMAIN §1 hot-desk: logged-in user\'s CoS vs the phone\'s "CoS if not logged"', () => {
  const tenant = tenantFromYaml(REFERENCE_TENANT);
  it('logged out, the hot-desk phone uses "CoS if not logged" (internal: local extensions only)', () => {
    expect(dial(tenant, '103', '100')).toMatchObject({ action: 'local' });
    expect(dial(tenant, '103', '19055551234')).toMatchObject({ action: 'reject', status: 403 });
    expect(dial(tenant, '103', '19055551234').rule.cos).toEqual(['hotdesk-phone', 'internal']);
  });
  it('logged out, the phone can still dial *22 to log in', () => {
    expect(dial(tenant, '103', '*22')).toMatchObject({ action: 'feature', feature: 'hotDeskLogin' });
  });
  it("222 logged in: calls from the phone use 222's CoS and present 222's caller ID", () => {
    const d = dial(tenant, '103', '19055551234', { hotDesk: '222' });
    expect(d).toMatchObject({ action: 'outbound', line: 'longdistance', callerId: { name: 'Guest', number: '4165550122' } });
    expect(d.rule.cos).toEqual(['longdistance-only', 'hotdesk-phone']);
  });
  it("222 logged in: the phone's own services (logout) remain", () => {
    expect(dial(tenant, '103', '*23', { hotDesk: '222' })).toMatchObject({ action: 'feature', feature: 'hotDeskLogout' });
  });
  it('222 logged in: "CoS if not logged" no longer applies', () => {
    expect(dial(tenant, '103', '4165551212', { hotDesk: '222' })).toMatchObject({ action: 'reject', status: 403 });
  });
});

describe('DOMAIN §5 security: an IVR or incoming line runs with its own CoS', () => {
  const tenant = tenantFromYaml(REFERENCE_TENANT);
  const ivr = { service: 'main-menu', cos: tenant.cos.get('internal')!, callerId: { name: 'Outside caller', number: '6135550000' } };
  it('an IVR with a local-only CoS reaches extensions, not outgoing lines or features', () => {
    const route = (dialled: string) => decideRoute({ tenant, caller: ivr, dialled, at: TUESDAY_10AM_TORONTO });
    expect(route('101')).toMatchObject({ action: 'local', extension: '101' });
    expect(route('19055551234')).toMatchObject({ action: 'reject', status: 403 });
    expect(route('*72')).toMatchObject({ action: 'reject', status: 403, reason: 'feature-not-in-cos' });
    expect(route('911')).toMatchObject({ action: 'emergency', callerId: { number: '6135550000' } });
  });
});
