import { parseConfig } from '../../../src/config/load.js';
import type { Tenant } from '../../../src/domain/model.js';
import { resolveCaller } from '../../../src/domain/routing/caller.js';
import { decideRoute } from '../../../src/domain/routing/decide.js';
import type { RouteDecision } from '../../../src/domain/routing/decision.js';

/** A fixed instant: Tuesday 2024-03-12 10:00 in Toronto (office hours). */
export const TUESDAY_10AM_TORONTO = Date.parse('2024-03-12T10:00:00-04:00');

export function tenantFromYaml(yaml: string, name = 't'): Tenant {
  const tenant = parseConfig(yaml, 'test.yaml').tenants.get(name);
  if (tenant === undefined) throw new Error(`fixture has no tenant ${name}`);
  return tenant;
}

export interface DialOptions {
  readonly at?: number;
  readonly pin?: string;
  readonly hotDesk?: string;
  readonly explain?: boolean;
}

export function dial(tenant: Tenant, from: string, dialled: string, opts: DialOptions = {}): RouteDecision {
  return decideRoute({
    tenant,
    caller: resolveCaller(tenant, from, opts.hotDesk),
    dialled,
    at: opts.at ?? TUESDAY_10AM_TORONTO,
    ...(opts.pin !== undefined && { pin: opts.pin }),
    ...(opts.explain !== undefined && { explain: opts.explain }),
  });
}

/**
 * The [001] reference tenant: the recommended default CoS plus the lines a default CoS must NOT
 * have, two Bell SBC trunks, the premium banned-prefix list and 911.
 */
export const REFERENCE_TENANT = `
tenants:
  t:
    domain: t.example
    timeZone: America/Toronto
    extensions:
      '100': { password: p, sharedDevices: 3, callerId: { name: Alice, number: '4165550100' }, emergencyCallerId: { number: '4165550199' } }
      '101': { password: p }
      '102': { password: p, cos: internal }
      '211': { password: p }
      '300': { password: p, cos: restricted }
      '222': { hotDesk: { pin: '1234' }, callerId: { name: Guest, number: '4165550122' }, cos: longdistance-only }
      '103': { password: p, cos: hotdesk-phone }
    cos:
      default:
        emergencyLines: [e911]
        outgoingLines: [private-tollfree, private-longdistance, private-local, tollfree, longdistance, local, international, carrierservices]
        bannedPrefixes: [premium]
        services: [hotDeskLogin, hotDeskLogout, callForwardUnconditional]
      internal:
        localExtensions: all
      restricted:
        localExtensions: ['100']
        outgoingLines: [carrierservices]
      longdistance-only:
        outgoingLines: [longdistance]
        localExtensions: all
      hotdesk-phone:
        services: [hotDeskLogin, hotDeskLogout]
        localExtensions: []
        hotDeskRestriction: { cosIfNotLogged: internal }
    outgoingLines:
      private-tollfree: { dialStringSets: [tollFree], accessCode: '*67', trunks: [bellprimarysbc, bellsecondarysbc], callerId: { presentation: restricted } }
      private-longdistance: { dialStrings: ['*671NXXNXXXXXX!'], strip: 4, prefix: '+1', trunks: [bellprimarysbc, bellsecondarysbc], callerId: { presentation: restricted } }
      private-local: { dialStrings: ['*67NXXNXXXXXX!'], strip: 3, trunks: [bellprimarysbc, bellsecondarysbc], callerId: { presentation: restricted } }
      tollfree: { dialStringSets: [tollFree], trunks: [bellprimarysbc, bellsecondarysbc] }
      longdistance: { dialStrings: ['1NXXNXXXXXX!'], strip: 1, prefix: '+1', trunks: [bellprimarysbc, bellsecondarysbc] }
      local: { dialStrings: ['NXXNXXXXXX!'], trunks: [bellprimarysbc, bellsecondarysbc] }
      international: { dialStrings: ['011X.'], trunks: [bellprimarysbc, bellsecondarysbc] }
      carrierservices: { dialStrings: ['[2-8]11'], trunks: [bellprimarysbc, bellsecondarysbc] }
      premiumservices: { dialStrings: ['1976XXXXXXX!', '1900XXXXXXX!'], trunks: [bellprimarysbc] }
      casualdial: { dialStrings: ['101XXXX[01]XXXXXXX!'], trunks: [bellprimarysbc] }
      operatorassisted: { dialStrings: ['0011X.', '01NXXNXXXXXX!', '00', '0'], trunks: [bellprimarysbc] }
    bannedPrefixes:
      premium: { prefixes: '1976 1900 *671976 *671900 01976 01900 0011' }
    emergencyLines:
      e911: { number: '911', trunks: [bellprimarysbc, bellsecondarysbc], record: true }
    trunks:
      bellprimarysbc: { host: 127.0.0.51, trustedAddresses: [127.0.0.51] }
      bellsecondarysbc: { host: 127.0.0.52, trustedAddresses: [127.0.0.52] }
`;
