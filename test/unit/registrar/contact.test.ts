import { describe, expect, it } from 'vitest';
import { normaliseContactUri, parseContact, splitContactHeader } from '../../../src/app/registrar/contact.js';

describe('contact parsing', () => {
  it('name-addr with header params, quoted +sip.instance unquoted', () => {
    const c = parseContact('"Desk \\"A\\"" <sip:100@192.168.1.20:5060;transport=udp>;expires=60;+sip.instance="<urn:uuid:abc>";reg-id=1;q=0.5');
    expect(c).toEqual({
      star: false,
      uri: 'sip:100@192.168.1.20:5060;transport=udp',
      displayName: 'Desk "A"',
      params: new Map([
        ['expires', '60'],
        ['+sip.instance', '<urn:uuid:abc>'],
        ['reg-id', '1'],
        ['q', '0.5'],
      ]),
    });
  });

  it('addr-spec without brackets: ;params are header params', () => {
    const c = parseContact('sip:100@10.0.0.1:5060;expires=30');
    expect(c).toMatchObject({ star: false, uri: 'sip:100@10.0.0.1:5060' });
    expect(c && !c.star && c.params.get('expires')).toBe('30');
  });

  it('star, and malformed values', () => {
    expect(parseContact(' * ')).toEqual({ star: true });
    expect(parseContact('<sip:100@host')).toBeUndefined();
    expect(parseContact('garbage')).toBeUndefined();
    expect(parseContact('<sip:a@b>;=x')).toBeUndefined();
  });

  it('splits a joined header at top-level commas only', () => {
    expect(splitContactHeader('"a,b" <sip:1@h;x=1,2>;expires=3, sip:2@h, <sip:3@h>')).toEqual([
      '"a,b" <sip:1@h;x=1,2>;expires=3',
      'sip:2@h',
      '<sip:3@h>',
    ]);
  });

  it('URI comparison key: scheme/host/params case-insensitive, user case-sensitive, params unordered', () => {
    expect(normaliseContactUri('SIP:Alice@EXAMPLE.com:5060;Transport=UDP;lr')).toBe(normaliseContactUri('sip:Alice@example.com:5060;lr;transport=udp'));
    expect(normaliseContactUri('sip:alice@example.com')).not.toBe(normaliseContactUri('sip:Alice@example.com'));
  });
});
