import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseCredentialsList, quote } from '../../../src/app/auth/digest-params.js';
import { parseContact, splitContactHeader } from '../../../src/app/registrar/contact.js';

describe('digest credentials parser', () => {
  it('parses quoted and unquoted directives with case-insensitive names', () => {
    const [c] = parseCredentialsList('Digest USERNAME="100", Realm="demo.example", nc=00000001, qop=auth, uri="sip:demo.example"')!;
    expect(c!.scheme).toBe('digest');
    expect(c!.params.get('username')).toBe('100');
    expect(c!.params.get('realm')).toBe('demo.example');
    expect(c!.params.get('nc')).toBe('00000001');
    expect(c!.params.get('qop')).toBe('auth');
  });

  it('keeps commas and escaped quotes inside quoted strings', () => {
    const [c] = parseCredentialsList('Digest username="a,b", realm="r \\"x\\"", nonce="n"')!;
    expect(c!.params.get('username')).toBe('a,b');
    expect(c!.params.get('realm')).toBe('r "x"');
  });

  it('tolerates whitespace around = and ,', () => {
    const [c] = parseCredentialsList('  Digest   username = "100" ,realm="r"  ,  nonce=abc  ')!;
    expect([...c!.params.entries()]).toEqual([
      ['username', '100'],
      ['realm', 'r'],
      ['nonce', 'abc'],
    ]);
  });

  it('splits several credentials joined into one value', () => {
    const list = parseCredentialsList('Digest username="1", realm="a", Digest username="2", realm="b"')!;
    expect(list.map((c) => c.params.get('realm'))).toEqual(['a', 'b']);
  });

  it('rejects malformed values', () => {
    expect(parseCredentialsList('Digest username="unterminated')).toBeUndefined();
    expect(parseCredentialsList('Digest username="1" realm="r"')).toBeUndefined();
    expect(parseCredentialsList('Digest username="1", username="2"')).toBeUndefined();
    expect(parseCredentialsList('Digest username=')).toBeUndefined();
  });

  it('quote escapes backslashes and quotes', () => {
    expect(quote('a"b\\c')).toBe('"a\\"b\\\\c"');
    const [c] = parseCredentialsList(`Digest realm=${quote('a"b\\c')}`)!;
    expect(c!.params.get('realm')).toBe('a"b\\c');
  });
});

describe('parsers never throw on hostile input', () => {
  it('credentials and contact parsers return a value or undefined for any string', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        parseCredentialsList(s);
        parseCredentialsList(`Digest ${s}`);
        parseContact(s);
        splitContactHeader(s);
      }),
      { numRuns: 2000 },
    );
  });
});
