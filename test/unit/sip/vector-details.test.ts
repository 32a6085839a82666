import { describe, expect, it } from 'vitest';
import { parseMessage, parseNameAddr, parseUri, parseVia, percentDecode, serializeMessage, type SipMessage } from '../../../src/sip/index.js';
import { vector } from './vectors.js';

function parse(file: string): SipMessage {
  const r = parseMessage(vector(file), { maxSize: 65535, datagram: true });
  if (!r.ok) throw new Error(`${file}: ${r.error.reason}`);
  return r.msg;
}

describe('RFC 4475 message details', () => {
  it('wsinv: folding, compact forms, LWS everywhere, unknown headers verbatim', () => {
    const m = parse('wsinv.dat');
    expect(m.getHeader('to')).toBe('sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n');
    expect(m.toTag).toBe('1918181833n');
    expect(m.fromTag).toBe('98asjd8');
    expect(m.getHeader('max-forwards')).toBe('0068');
    expect(m.cseq).toEqual({ seq: 9, method: 'INVITE' });
    expect(m.getHeader('subject')).toBe('');
    expect(m.getHeader('NewFangledHeader')).toBe('newfangled value continued newfangled value');
    expect(m.headers.find((h) => h.name === 'UnknownHeaderWithUnusualValue')?.value).toBe(';;,,;;,;');
    const vias = m.getHeaderValues('Via');
    expect(vias).toHaveLength(3);
    const parsed = vias.map((v) => parseVia(v));
    expect(parsed.map((v) => v?.transport)).toEqual(['UDP', 'TCP', 'UDP']);
    expect(parsed.map((v) => v?.branch)).toEqual(['390skdjuw', 'z9hG4bK9ikj8', 'z9hG4bK30239']);
    expect(m.topVia()?.host).toBe('192.0.2.2');
    const contact = parseNameAddr(m.getHeaderValues('m')[0] ?? '');
    expect(contact?.displayName).toBe('Quoted string ""');
    expect(contact?.params.get('q')).toBe('0.33');
    const from = parseNameAddr(m.getHeader('f') ?? '');
    expect(from?.displayName).toBe('J Rosenberg \\"');
    expect(m.body.length).toBe(150);
  });

  it('intmeth: odd method token, NUL in quoted display name, opaque Call-ID', () => {
    const m = parse('intmeth.dat');
    expect(m.method).toBe("!interesting-Method0123456789_*+`.%indeed'~");
    expect(m.callId).toBe('intmeth.word%ZK-!.*_+\'@word`~)(><:\\/"][?}{');
    expect(parseNameAddr(m.getHeader('To') ?? '')?.displayName).toBe('BEL:\x07 NUL:\x00 DEL:\x7f');
    const uri = parseUri(m.uri);
    expect(uri?.user).toBe("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
    expect(uri?.password).toBe("&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
    expect(uri?.host).toBe('example.com');
    expect(m.fromTag).toBe("_token~1'+`*%!-.");
  });

  it('esc01: escapes decoded once only, in the URI only', () => {
    const m = parse('esc01.dat');
    const contact = parseNameAddr(m.getHeader('contact') ?? '');
    const uri = parseUri(contact?.uri ?? '');
    const entries = [...(uri?.params ?? new Map<string, string | null>())];
    expect(entries.map(([k]) => percentDecode(k))).toEqual(['lr', 'name']);
    expect(percentDecode(entries[1]?.[1] ?? '')).toBe('value%41');
    expect(percentDecode(uri?.user ?? '')).toBe('caller');
  });

  it('escnull: %00 user parts are distinct bindings', () => {
    const m = parse('escnull.dat');
    const users = m.getHeaderValues('Contact').map((c) => parseUri(parseNameAddr(c)?.uri ?? '')?.user);
    expect(users).toEqual(['%00', '%00%00']);
    expect(percentDecode(users[1] ?? '')).toBe('\0\0');
  });

  it('esc02: C%6Fntact is an unknown header', () => {
    const m = parse('esc02.dat');
    expect(m.getHeaderValues('contact')).toHaveLength(2);
    expect(m.getHeader('C%6Fntact')).toBe('<sip:alias2@host2.example.com>');
  });

  it('dblreq: trailing datagram octets are ignored', () => {
    const buf = vector('dblreq.dat');
    const r = parseMessage(buf, { maxSize: 65535, datagram: true });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.length).toBeLessThan(buf.length);
    expect(r.msg.method).toBe('REGISTER');
    expect(r.msg.body.length).toBe(0);
    expect(serializeMessage(r.msg).toString('latin1')).not.toContain('INVITE');
  });

  it('semiuri: ; inside the user part', () => {
    const u = parseUri(parse('semiuri.dat').uri);
    expect(u?.user).toBe('user;par=u%40example.net');
    expect(u?.host).toBe('example.com');
    expect(u?.params.size).toBe(0);
  });

  it('transports: every Via parses', () => {
    const vias = parse('transports.dat')
      .getHeaderValues('via')
      .map((v) => parseVia(v)?.transport);
    expect(vias).toEqual(['UDP', 'SCTP', 'TLS', 'UNKNOWN', 'TCP']);
  });

  it('mpart01: binary body framed by Content-Length, byte exact', () => {
    const buf = vector('mpart01.dat');
    const m = parse('mpart01.dat');
    const cl = Number(m.getHeader('content-length'));
    expect(m.body.length).toBe(cl);
    expect(m.body.equals(buf.subarray(buf.length - cl))).toBe(true);
    expect(m.body.includes(0)).toBe(true);
  });

  it('unreason / noreason: reason phrases', () => {
    expect(parse('unreason.dat').reason).toContain('2**3 * 5**2 но');
    const n = parse('noreason.dat');
    expect(n.status).toBe(100);
    expect(n.reason).toBe('');
  });

  it('lwsstart / trws: accepted, normalised on output', () => {
    const a = parse('lwsstart.dat');
    expect(a.uri).toBe('sip:user@example.com');
    expect(serializeMessage(a).toString('latin1').split('\r\n')[0]).toBe('INVITE sip:user@example.com SIP/2.0');
    const b = parse('trws.dat');
    expect(serializeMessage(b).toString('latin1').split('\r\n')[0]).toBe('OPTIONS sip:remote-target@example.com SIP/2.0');
  });

  it('cparam01 / cparam02: header parameter vs URI parameter', () => {
    const c1 = parseNameAddr(parse('cparam01.dat').getHeader('contact') ?? '');
    expect(c1?.bracketed).toBe(false);
    expect(c1?.params.has('unknownparam')).toBe(true);
    expect(parseUri(c1?.uri ?? '')?.params.has('unknownparam')).toBe(false);
    const c2 = parseNameAddr(parse('cparam02.dat').getHeader('contact') ?? '');
    expect(c2?.params.has('unknownparam')).toBe(false);
    expect(parseUri(c2?.uri ?? '')?.params.has('unknownparam')).toBe(true);
  });

  it('regescrt: escaped Route header kept intact in the Contact URI', () => {
    const c = parseNameAddr(parse('regescrt.dat').getHeader('contact') ?? '');
    expect(c?.uri).toBe('sip:user@example.com?Route=%3Csip:sip.example.com%3E');
    expect(parseUri(c?.uri ?? '')?.headers.get('Route')).toBe('%3Csip:sip.example.com%3E');
  });

  it('unksm2: foreign schemes in To/From/Contact parse', () => {
    const m = parse('unksm2.dat');
    expect(parseNameAddr(m.getHeader('to') ?? '')).toBeDefined();
    expect(parseNameAddr(m.getHeader('from') ?? '')).toBeDefined();
  });

  it('zeromf: Max-Forwards 0 is legal', () => {
    expect(parse('zeromf.dat').getHeader('Max-Forwards')).toBe('0');
  });

  it('inv2543: no Content-Length, body is the rest of the datagram', () => {
    const buf = vector('inv2543.dat');
    const m = parse('inv2543.dat');
    expect(m.hasHeader('content-length')).toBe(false);
    expect(m.body.length).toBeGreaterThan(0);
    expect(buf.subarray(buf.length - m.body.length).equals(m.body)).toBe(true);
    expect(m.topVia()?.branch).toBeUndefined();
    expect(m.fromTag).toBeUndefined();
  });

  it('bcast: response parses, Via list available', () => {
    const m = parse('bcast.dat');
    expect(m.isRequest).toBe(false);
    expect(m.getHeaderValues('via').map((v) => parseVia(v)?.host)).toContain('255.255.255.255');
  });
});
