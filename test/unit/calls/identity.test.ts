import { describe, expect, it } from 'vitest';
import { carrierIdentity, fromWithoutTag } from '../../../src/app/calls/identity.js';

describe('carrier caller identity (read with the shared SIP grammar)', () => {
  it('takes the quoted display name unescaped and the user part as the number', () => {
    expect(carrierIdentity('"Bob \\"B\\" Smith" <sip:+14165551234@carrier.example>;tag=a1')).toEqual({ name: 'Bob "B" Smith', number: '+14165551234' });
  });

  it('takes an unquoted display name too, and drops user parameters from the number', () => {
    expect(carrierIdentity('Reception <sip:4165550100;isub=12@carrier.example>;tag=x')).toEqual({ name: 'Reception', number: '4165550100' });
  });

  it('has no name and no number for a From without a sip URI', () => {
    expect(carrierIdentity('<tel:+14165551234>;tag=1')).toEqual({ name: '', number: '' });
  });

  it('a sip: inside the display name is not the URI', () => {
    expect(carrierIdentity('"sip:9@evil" <sip:4165551234@carrier.example>').number).toBe('4165551234');
  });
});

describe('fromWithoutTag', () => {
  it('drops the tag and keeps the other parameters', () => {
    expect(fromWithoutTag('"Bob" <sip:4165551234@carrier.example>;tag=9f;x-org=1')).toBe('"Bob" <sip:4165551234@carrier.example>;x-org=1');
  });

  it("brackets an addr-spec so its URI parameters stay the URI's", () => {
    expect(fromWithoutTag('sip:4165551234@carrier.example;tag=9f')).toBe('<sip:4165551234@carrier.example>');
  });

  it('keeps text it cannot parse as it is', () => {
    expect(fromWithoutTag('Bob (desk) <sip:1@h>;tag=1')).toBe('Bob (desk) <sip:1@h>;tag=1');
  });
});
