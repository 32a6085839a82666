import { describe, expect, it } from 'vitest';
import { outgoingIdentityHeaders } from '../../../src/domain/dialplan/caller-id.js';

const alice = { name: 'Alice', number: '4165550100' };

describe('DOMAIN §4 *67 privacy (RFC 3323 / 3325)', () => {
  it('an anonymous call has From anonymous and Privacy: id', () => {
    const h = outgoingIdentityHeaders(alice, true, { trustDomain: true });
    expect(h.from).toEqual({ displayName: 'Anonymous', user: 'anonymous', host: 'anonymous.invalid' });
    expect(h.privacy).toBe('id');
  });
  it('the identity is kept in P-Asserted-Identity toward a trusted trunk', () => {
    const h = outgoingIdentityHeaders(alice, true, { trustDomain: true });
    expect(h.assertedIdentity).toEqual({ displayName: 'Alice', user: '4165550100' });
  });
  it('the identity is NOT sent to an untrusted trunk', () => {
    const h = outgoingIdentityHeaders(alice, true, { trustDomain: false });
    expect(h.assertedIdentity).toBeUndefined();
    expect(JSON.stringify(h)).not.toContain('4165550100');
  });
  it('a non-anonymous call presents the caller in From, without Privacy', () => {
    const h = outgoingIdentityHeaders(alice, false, { trustDomain: false });
    expect(h.from).toEqual({ displayName: 'Alice', user: '4165550100' });
    expect(h.privacy).toBeUndefined();
  });
});
