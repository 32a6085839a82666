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
    expect(splitContactHeader('"a,b" <sip:1@h;x=1,2>;expires=3, sip:2@h, <sip:3@h>')).toEqual(['"a,b" <sip:1@h;x=1,2>;expires=3', 'sip:2@h', '<sip:3@h>']);
  });

  it('URI comparison key: scheme/host/params case-insensitive, user case-sensitive, params unordered', () => {
    expect(normaliseContactUri('SIP:Alice@EXAMPLE.com:5060;Transport=UDP;lr')).toBe(normaliseContactUri('sip:Alice@example.com:5060;lr;transport=udp'));
    expect(normaliseContactUri('sip:alice@example.com')).not.toBe(normaliseContactUri('sip:Alice@example.com'));
  });

  it('follows the shared SIP grammar where the hand parser was lenient', () => {
    // an unquoted display name must be a token phrase (RFC 3261 §25.1), as the engine already requires
    expect(parseContact('Bob (desk) <sip:1@h>')).toBeUndefined();
    expect(parseContact('Bob Smith <sip:1@h>')).toMatchObject({ displayName: 'Bob Smith', uri: 'sip:1@h' });
    // an addr-spec's URI ends at the first ';', so a user part with ';' needs brackets
    expect(parseContact('sip:alice;day=tue@h')).toBeUndefined();
    expect(parseContact('<sip:alice;day=tue@h>')).toMatchObject({ uri: 'sip:alice;day=tue@h' });
  });

  it('flags are null, quoted values unquoted, URI params stay in the URI', () => {
    const c = parseContact('<sip:100@h;ob>;+sip.instance="<urn:uuid:a\\"b>";reg-id=1;Ob');
    expect(c).toEqual({
      star: false,
      uri: 'sip:100@h;ob',
      params: new Map([
        ['+sip.instance', '<urn:uuid:a"b>'],
        ['reg-id', '1'],
        ['ob', null],
      ]),
    });
  });
});
