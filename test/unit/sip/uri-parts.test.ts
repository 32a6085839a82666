import { describe, expect, it } from 'vitest';
import { hostOf, parseUri, splitHeaderValues, unquote, uriMatchKey, userOf } from '../../../src/sip/index.js';

describe('hostOf', () => {
  it.each([
    ['sip:100@Demo.Local:5060;transport=tcp', 'demo.local'],
    ['sip:demo.local', 'demo.local'],
    ['SIPS:100@demo.local?subject=x', 'demo.local'],
    ['"Bob" <sip:101@demo.local>;tag=1', 'demo.local'],
    ['"a <sip:x@quoted>" <sip:101@real.example>', 'real.example'],
    ['<sip:101@demo.local', 'demo.local'],
    ['  sip:101@demo.local  ', 'demo.local'],
    ['sip:100@demo.local ;tag=1', 'demo.local'],
    ['sip:bob@[2001:DB8::10]:5070', '2001:db8::10'],
    ['sip:[::1]', '::1'],
    ['sip:alice;day=tue@atlanta.example', 'atlanta.example'],
    ['sip:alice:pw@atlanta.example', 'atlanta.example'],
  ])('%s → %s', (text, want) => {
    expect(hostOf(text)).toBe(want);
  });

  it.each([['tel:+15551234'], ['garbage'], [''], ['sip:'], ['sip:100@'], ['sip:[]'], ['sip:[::1'], ['< sip:a@b>'], ['sipx:a@b']])('%s → undefined', (text) => {
    expect(hostOf(text)).toBeUndefined();
  });

  it('agrees with parseUri on valid URIs', () => {
    for (const u of ['sip:a@b.c', 'sip:b.c:5060', 'sips:x:y@[::1]:5061;transport=tls', 'sip:alice;day=tue@h;lr?x=1']) {
      const host = parseUri(u)!
        .host.replace(/^\[|\]$/g, '')
        .toLowerCase();
      expect(hostOf(u)).toBe(host);
    }
  });
});

describe('userOf', () => {
  it.each([
    ['sip:100@demo.local', '100'],
    ['"Bob" <sip:101@demo.local>;tag=1', '101'],
    ['<sips:101:secret@demo.local>', '101'],
    ['sip:%31%30%30@demo.local', '%31%30%30'],
    ['sip:alice;day=tue@atlanta.example', 'alice;day=tue'],
    ['"sip:fake@x" <sip:real@y>', 'real'],
  ])('%s → %s', (text, want) => {
    expect(userOf(text)).toBe(want);
  });

  it.each([['sip:demo.local'], ['tel:+15551234'], ['sip:@demo.local'], ['sip::pw@demo.local'], ['garbage'], ['<sip:h>;x=a@b']])('%s → undefined', (text) => {
    expect(userOf(text)).toBeUndefined();
  });
});

describe('uriMatchKey', () => {
  it('scheme, host and params are case-insensitive, user is not, params unordered, headers ignored', () => {
    expect(uriMatchKey('SIP:Alice@EXAMPLE.com:5060;Transport=UDP;lr')).toBe(uriMatchKey('sip:Alice@example.com:5060;lr;transport=udp'));
    expect(uriMatchKey('sip:alice@example.com')).not.toBe(uriMatchKey('sip:Alice@example.com'));
    expect(uriMatchKey('sip:a@h?subject=x')).toBe(uriMatchKey('sip:a@h'));
    expect(uriMatchKey('sip:a@h;;lr')).toBe('sip:a@h;lr');
    expect(uriMatchKey('sip:[::1]:5060;lr')).toBe('sip:[::1]:5060;lr');
  });
});

describe('splitHeaderValues / unquote', () => {
  it('splits at top-level commas only and drops empty values', () => {
    expect(splitHeaderValues('"a,b" <sip:1@h;x=1,2>;expires=3, sip:2@h,, <sip:3@h>')).toEqual(['"a,b" <sip:1@h;x=1,2>;expires=3', 'sip:2@h', '<sip:3@h>']);
  });

  it('unquotes a quoted-string', () => {
    expect(unquote('"Desk \\"A\\""')).toBe('Desk "A"');
    expect(unquote('"a\\\\b"')).toBe('a\\b');
  });
});
