import { describe, expect, it } from 'vitest';
import { DEFAULT_FAILOVER_ON, DEFAULT_NO_FAILOVER_ON, shouldFailover } from '../../../src/domain/routing/failover.js';

const defaults = { failoverOn: DEFAULT_FAILOVER_ON, noFailoverOn: DEFAULT_NO_FAILOVER_ON };
const response = (status: number, earlyMedia = false) => ({ kind: 'response' as const, status, earlyMedia });

describe('DOMAIN §6/§9 failover: the callee refused vs the carrier is broken', () => {
  it('fails over on no response in time, transport error and a trunk marked down', () => {
    expect(shouldFailover(defaults, { kind: 'timeout' })).toBe(true);
    expect(shouldFailover(defaults, { kind: 'transport-error' })).toBe(true);
    expect(shouldFailover(defaults, { kind: 'trunk-down' })).toBe(true);
  });
  it('fails over on 408 and 5xx (503 in particular)', () => {
    for (const s of [408, 500, 502, 503, 504]) expect(shouldFailover(defaults, response(s)), String(s)).toBe(true);
  });
  it('does not fail over on 404, 484, 486, 487, 600, 603', () => {
    for (const s of [404, 484, 486, 487, 600, 603]) expect(shouldFailover(defaults, response(s)), String(s)).toBe(false);
  });
  it('never fails over after early media (the callee must not ring twice)', () => {
    expect(shouldFailover(defaults, response(503, true))).toBe(false);
  });
  it('a trunk can override: fail over on 603 for a carrier that sends it for route failures', () => {
    const custom = { failoverOn: [408, '5xx', 603] as const, noFailoverOn: [404, 486, 487] };
    expect(shouldFailover(custom, response(603))).toBe(true);
  });
  it('an exact status beats a class', () => {
    expect(shouldFailover({ failoverOn: ['5xx'], noFailoverOn: [501] }, response(501))).toBe(false);
    expect(shouldFailover({ failoverOn: ['5xx'], noFailoverOn: [501] }, response(502))).toBe(true);
  });
});
