import { describe, expect, it } from 'vitest';
import { grantedExpiry } from '../../../src/app/trunks/register-request.js';

const res = (headers: Record<string, string>) => ({ get: (name: string) => headers[name] });

describe('the expiry a trunk granted our registration', () => {
  it("our Contact's expires among several, else the Expires header", () => {
    expect(grantedExpiry(res({ Contact: '<sip:other@10.0.0.9>;expires=30, "Us, really" <sip:acme@203.0.113.5:5060>;expires=600', Expires: '3600' }), 'acme')).toEqual({ expires: 600 });
    expect(grantedExpiry(res({ Contact: '<sip:acme@203.0.113.5>', Expires: '3600' }), 'acme')).toEqual({ expires: 3600 });
    expect(grantedExpiry(res({}), 'acme')).toEqual({});
  });

  it('reads the header parameter, not a URI parameter of the same name', () => {
    expect(grantedExpiry(res({ Contact: '<sip:acme@203.0.113.5;expires=5>;expires=900' }), 'acme')).toEqual({ expires: 900 });
    expect(grantedExpiry(res({ Contact: '<sip:acme@203.0.113.5;expires=5>', Expires: '120' }), 'acme')).toEqual({ expires: 120 });
  });
});
