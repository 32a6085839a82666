import { describe, expect, it } from 'vitest';
import { formatNameAddr, formatUri, formatVia, getParam, parseNameAddr, parseUri, parseVia } from '../../../src/sip/index.js';

describe('parseUri / formatUri', () => {
  it('parses user, password, host, port, params, headers', () => {
    const u = parseUri('sips:alice:secret@atlanta.example.com:5061;transport=tcp;lr?subject=project&priority=urgent');
    expect(u).toMatchObject({ scheme: 'sips', user: 'alice', password: 'secret', host: 'atlanta.example.com', port: 5061 });
    expect([...(u?.params ?? [])]).toEqual([
      ['transport', 'tcp'],
      ['lr', null],
    ]);
    expect([...(u?.headers ?? [])]).toEqual([
      ['subject', 'project'],
      ['priority', 'urgent'],
    ]);
    expect(u && formatUri(u)).toBe('sips:alice:secret@atlanta.example.com:5061;transport=tcp;lr?subject=project&priority=urgent');
  });

  it('handles IPv6 references', () => {
    const u = parseUri('sip:bob@[2001:db8::10]:5070;maddr=[2001:db8::1]');
    expect(u).toMatchObject({ host: '[2001:db8::10]', port: 5070 });
    expect(u?.params.get('maddr')).toBe('[2001:db8::1]');
    expect(parseUri('sip:[::1]')?.host).toBe('[::1]');
    expect(parseUri('sip:[::1')).toBeUndefined();
  });

  it('parses tel URIs', () => {
    const u = parseUri('tel:+1-201-555-0123;phone-context=example.com');
    expect(u).toMatchObject({ scheme: 'tel', user: '+1-201-555-0123', host: '' });
    expect(u && formatUri(u)).toBe('tel:+1-201-555-0123;phone-context=example.com');
  });

  it.each(['http://x', 'sip:', 'sip:a@', 'sip:a b@c', 'sip:host:99999', 'sip:host;;x', 'sip:%zz@h', 'nocolon'])('rejects %s', (text) => expect(parseUri(text)).toBeUndefined());
});

describe('parseVia / formatVia', () => {
  it('reads branch, received, rport', () => {
    const v = parseVia('SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKabc;received=198.51.100.7;rport=40000');
    expect(v).toMatchObject({ protocol: 'SIP/2.0', transport: 'UDP', host: '192.0.2.1', port: 5060, branch: 'z9hG4bKabc', received: '198.51.100.7', rport: 40000 });
  });

  it('handles LWS, IPv6 and rport without value, and formats back', () => {
    const v = parseVia('SIP / 2.0 / tls [2001:db8::9] : 5061 ; rport ; branch = z9hG4bK1');
    expect(v).toMatchObject({ transport: 'TLS', host: '[2001:db8::9]', port: 5061, rport: null, branch: 'z9hG4bK1' });
    if (!v) return;
    v.received = '2001:db8::9';
    v.rport = 5062;
    expect(formatVia(v)).toBe('SIP/2.0/TLS [2001:db8::9]:5061;rport=5062;branch=z9hG4bK1;received=2001:db8::9');
  });

  it.each(['SIP/2.0/UDP', 'SIP/2.0 host', 'SIP/2.0/UDP host;;', 'SIP/2.0/UDP host;branch', 'SIP/2.0/UDP host:0', ';', ''])('rejects %j', (text) => expect(parseVia(text)).toBeUndefined());
});

describe('parseNameAddr / formatNameAddr', () => {
  it('quoted display name with escapes and commas', () => {
    const n = parseNameAddr('"Doe, \\"JD\\" John" <sip:j@h>;tag=a1;expires=60');
    expect(n).toMatchObject({ displayName: 'Doe, "JD" John', uri: 'sip:j@h', bracketed: true });
    expect(n?.params.get('tag')).toBe('a1');
    expect(n && formatNameAddr(n)).toBe('"Doe, \\"JD\\" John" <sip:j@h>;tag=a1;expires=60');
  });

  it('token display name, no LWS before <', () => {
    expect(parseNameAddr('caller<sip:c@e.com>;tag=3')).toMatchObject({ displayName: 'caller', uri: 'sip:c@e.com' });
  });

  it('addr-spec: parameters belong to the header', () => {
    const n = parseNameAddr('sip:u@h;transport=tcp;tag=9');
    expect(n).toMatchObject({ uri: 'sip:u@h', bracketed: false });
    expect([...(n?.params ?? [])]).toEqual([
      ['transport', 'tcp'],
      ['tag', '9'],
    ]);
    expect(n && formatNameAddr(n)).toBe('<sip:u@h>;transport=tcp;tag=9');
  });

  it.each(['"unterminated <sip:a@b>', 'Bell, Alexander <sip:a@b>', '< sip:a@b >', '<sip:a@b>;;', 'sip:a@b?x=y', '<sip:a@b', '', 'noscheme'])('rejects %j', (text) =>
    expect(parseNameAddr(text)).toBeUndefined(),
  );
});

describe('getParam', () => {
  it.each([
    ['"A;tag=no" <sip:a@b;tag=no>;tag=yes', 'yes'],
    ['sip:a@b;tag=x', 'x'],
    ['<sip:a@b> ; TAG = spaced', 'spaced'],
    ['<sip:a@b;tag=inside>', undefined],
    ['sip:a@b', undefined],
    ['SIP/2.0/UDP h;branch=z9hG4bKq;tag', ''],
  ])('%s', (value, want) => {
    expect(getParam(value, 'tag')).toBe(want);
  });
});
