import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatDeviceUser, isDeviceWithinLimit, parseDeviceUser } from '../../../src/app/auth/device-user.js';

describe('parseDeviceUser', () => {
  it('100 is device 1 of extension 100', () => {
    expect(parseDeviceUser('100')).toEqual({ extension: '100', deviceIndex: 1, canonical: true });
  });
  it('100_3 is device 3 of extension 100', () => {
    expect(parseDeviceUser('100_3')).toEqual({ extension: '100', deviceIndex: 3, canonical: true });
  });
  it('100_1, 100_0 and 100_02 are non-canonical and never within a limit', () => {
    for (const u of ['100_1', '100_0', '100_02']) {
      const id = parseDeviceUser(u);
      expect(id.extension).toBe('100');
      expect(id.canonical).toBe(false);
      expect(isDeviceWithinLimit(id, 9)).toBe(false);
    }
  });
  it('a non-numeric suffix is part of the extension name', () => {
    expect(parseDeviceUser('sales_desk').extension).toBe('sales_desk');
  });
  it('limit: with sharedDevices 3, devices 1..3 pass and 4 does not', () => {
    expect(['100', '100_2', '100_3'].map((u) => isDeviceWithinLimit(parseDeviceUser(u), 3))).toEqual([true, true, true]);
    expect(isDeviceWithinLimit(parseDeviceUser('100_4'), 3)).toBe(false);
    expect(isDeviceWithinLimit(parseDeviceUser('100_2'), undefined)).toBe(false);
  });
  it('format and parse round-trip', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{2,6}$/), fc.integer({ min: 1, max: 999 }), (ext, idx) => {
        const id = parseDeviceUser(formatDeviceUser(ext, idx));
        expect(id).toEqual({ extension: ext, deviceIndex: idx, canonical: true });
      }),
    );
  });
});
