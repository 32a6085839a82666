import { describe, expect, it } from 'vitest';
import { UnknownCallerError } from '../../../src/domain/errors.js';
import { resolveCaller, resolveDevice } from '../../../src/domain/routing/caller.js';
import { resolveExtensionTarget } from '../../../src/domain/routing/extension-target.js';
import { verifyHotDeskLogin } from '../../../src/domain/routing/hot-desk.js';
import { REFERENCE_TENANT, tenantFromYaml } from './fixtures.js';

const tenant = tenantFromYaml(REFERENCE_TENANT);

describe('DOMAIN §1 shared devices [002]', () => {
  it('with sharedDevices: 3, extension 100 accepts 100, 100_2, 100_3', () => {
    expect(resolveDevice(tenant, '100')).toMatchObject({ extension: { number: '100' }, device: 1 });
    expect(resolveDevice(tenant, '100_2')).toMatchObject({ extension: { number: '100' }, device: 2 });
    expect(resolveDevice(tenant, '100_3')).toMatchObject({ extension: { number: '100' }, device: 3 });
  });
  it('100_4 (over the limit) and 100_1 are rejected', () => {
    expect(resolveDevice(tenant, '100_4')).toBeUndefined();
    expect(resolveDevice(tenant, '100_1')).toBeUndefined();
    expect(resolveDevice(tenant, '100_02')).toBeUndefined();
    expect(resolveDevice(tenant, '101_2')).toBeUndefined();
    expect(resolveDevice(tenant, '999')).toBeUndefined();
  });
  it('dialling 100 reaches every device of 100', () => {
    expect(resolveExtensionTarget(tenant, '100')).toMatchObject({ kind: 'extension', deviceUsernames: ['100', '100_2', '100_3'] });
  });
  it('100_2 is not dialable', () => {
    expect(resolveExtensionTarget(tenant, '100_2')).toBeUndefined();
  });
  it('a call placed from device 100_2 is a call from extension 100', () => {
    expect(resolveCaller(tenant, '100_2')).toMatchObject({ phone: { number: '100' }, device: 2 });
  });
  it('an unknown caller is a typed error', () => {
    expect(() => resolveCaller(tenant, '100_9')).toThrow(UnknownCallerError);
  });
});

describe('DOMAIN §1 hot-desk extension 222 with PIN 1234', () => {
  it('owns no device: 222 cannot register or place calls itself', () => {
    expect(resolveDevice(tenant, '222')).toBeUndefined();
  });
  it('calls to 222 ring the phone where 222 is logged in', () => {
    expect(resolveExtensionTarget(tenant, '222')).toMatchObject({ kind: 'hotDesk', extension: { number: '222' } });
  });
  it('*22 then 222 then 1234 logs in; a wrong PIN or a non-hot-desk extension does not', () => {
    expect(verifyHotDeskLogin(tenant, '222', '1234')?.number).toBe('222');
    expect(verifyHotDeskLogin(tenant, '222', '1235')).toBeUndefined();
    expect(verifyHotDeskLogin(tenant, '222', '123')).toBeUndefined();
    expect(verifyHotDeskLogin(tenant, '100', '1234')).toBeUndefined();
  });
  it('a hot-desk login must name a hot-desk extension', () => {
    expect(() => resolveCaller(tenant, '103', '100')).toThrow(/not a hot-desk extension/);
  });
});
