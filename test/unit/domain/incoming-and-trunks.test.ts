import { describe, expect, it } from 'vitest';
import { routeIncoming } from '../../../src/domain/routing/incoming.js';
import { addressMatches, findTrustedSource } from '../../../src/domain/routing/trunk-source.js';
import { TUESDAY_10AM_TORONTO, tenantFromYaml } from './fixtures.js';

const SUNDAY_NOON_TORONTO = Date.parse('2024-03-17T12:00:00-04:00');

const tenant = tenantFromYaml(`
tenants:
  t:
    domain: t
    timeZone: America/Toronto
    extensions: { '100': { password: p }, '101': { password: p } }
    cos: { default: {} }
    incomingLines:
      main: { dnis: '4165550100', destination: { extension: '100' }, schedule: office, outsideSchedule: { extension: '101' } }
      fax: { dnis: '4165550199', destination: { hangup: 486 } }
      sales: { dnis: '4165550111', destination: { extension: '101' }, schedule: office }
    timeSets: { office: { periods: [{ days: mon-fri, hours: 08-17 }] } }
    trunks:
      sbc: { host: 127.0.0.51, trustedAddresses: [127.0.0.51, 198.51.100.0/24] }
`);

describe('DOMAIN §7 incoming lines: DNIS → destination', () => {
  it('DNIS 4165550100 rings extension 100 during office hours', () => {
    expect(routeIncoming(tenant, '4165550100', TUESDAY_10AM_TORONTO)).toEqual({ action: 'local', extension: '100', line: 'main' });
  });
  it('outside the schedule it goes to the closed-hours destination', () => {
    expect(routeIncoming(tenant, '4165550100', SUNDAY_NOON_TORONTO)).toMatchObject({ action: 'local', extension: '101' });
  });
  it('outside the schedule without a closed destination: 480', () => {
    expect(routeIncoming(tenant, '4165550111', SUNDAY_NOON_TORONTO)).toMatchObject({ action: 'reject', status: 480 });
  });
  it('a hang-up destination answers its status', () => {
    expect(routeIncoming(tenant, '4165550199', TUESDAY_10AM_TORONTO)).toMatchObject({ action: 'reject', status: 486, reason: 'hangup' });
  });
  it('the carrier may send +1 in front of the DNIS', () => {
    expect(routeIncoming(tenant, '+14165550100', TUESDAY_10AM_TORONTO)).toMatchObject({ extension: '100' });
  });
  it('an unknown DNIS answers 404', () => {
    expect(routeIncoming(tenant, '4165550000', TUESDAY_10AM_TORONTO)).toMatchObject({ action: 'reject', status: 404, reason: 'unknown-dnis' });
  });
});

describe('DOMAIN §2 carrier trunks are trusted by source IP', () => {
  it('finds the trunk trusting an exact address or a CIDR', () => {
    expect(findTrustedSource([tenant], '127.0.0.51')?.trunk.name).toBe('sbc');
    expect(findTrustedSource([tenant], '198.51.100.77')?.trunk.name).toBe('sbc');
    expect(findTrustedSource([tenant], '::ffff:127.0.0.51')?.trunk.name).toBe('sbc');
  });
  it('any other address is not trusted', () => {
    expect(findTrustedSource([tenant], '127.0.0.52')).toBeUndefined();
    expect(findTrustedSource([tenant], '198.51.101.1')).toBeUndefined();
  });
  it('CIDR edges', () => {
    expect(addressMatches('10.0.0.0/8', '10.255.255.255')).toBe(true);
    expect(addressMatches('10.0.0.0/8', '11.0.0.0')).toBe(false);
    expect(addressMatches('0.0.0.0/0', '203.0.113.9')).toBe(true);
    expect(addressMatches('10.0.0.1/32', '10.0.0.1')).toBe(true);
  });
});
