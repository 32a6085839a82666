import { describe, expect, it } from 'vitest';
import { SipMessage, canonicalHeaderName, generateBranch, generateCallId, generateTag, parseMessage, serializeMessage } from '../../../src/sip/index.js';
import { INVITE } from './fixtures.js';

function invite(): SipMessage {
  const r = parseMessage(INVITE, { maxSize: 65535, datagram: true });
  if (!r.ok) throw new Error(r.error.reason);
  return r.msg;
}

describe('SipMessage header operations', () => {
  it('setHeader replaces every spelling at the first position', () => {
    const m = SipMessage.request('OPTIONS', 'sip:a@b', [
      { name: 'i', value: 'one' },
      { name: 'X-A', value: '1' },
      { name: 'CALL-ID', value: 'two' },
    ]);
    m.setHeader('Call-ID', 'three');
    expect(m.headers).toEqual([
      { name: 'Call-ID', value: 'three' },
      { name: 'X-A', value: '1' },
    ]);
    m.setHeader('X-New', 'n');
    expect(m.headers.at(-1)).toEqual({ name: 'X-New', value: 'n' });
  });

  it('add/prepend/remove and hasHeader', () => {
    const m = invite();
    m.prependHeader('Via', 'SIP/2.0/TCP proxy.example.com;branch=z9hG4bKp1');
    expect(m.headers[0]?.name).toBe('Via');
    expect(m.topVia()?.host).toBe('proxy.example.com');
    m.addHeader('Record-Route', '<sip:proxy.example.com;lr>');
    expect(m.getHeaderValues('record-route')).toEqual(['<sip:proxy.example.com;lr>']);
    m.removeHeader('v');
    expect(m.hasHeader('via')).toBe(false);
    expect(m.topVia()).toBeUndefined();
  });

  it('invalidates cached conveniences when headers change', () => {
    const m = invite();
    expect(m.callId).toBe('a84b4c76e66710@pc33.atlanta.example.com');
    expect(m.toTag).toBeUndefined();
    m.setHeader('To', 'Bob <sip:bob@biloxi.example.com>;tag=xyz');
    expect(m.toTag).toBe('xyz');
    m.setHeader('i', 'new-call');
    expect(m.callId).toBe('new-call');
    m.setHeader('CSeq', '7 BYE');
    expect(m.cseq).toEqual({ seq: 7, method: 'BYE' });
    m.setHeader('From', 'sip:a@b;tag=ft');
    expect(m.fromTag).toBe('ft');
  });

  it('defaults when headers are absent', () => {
    const m = new SipMessage();
    expect(m.isRequest).toBe(true);
    expect(m.callId).toBe('');
    expect(m.cseq).toEqual({ seq: 0, method: '' });
    expect(m.fromTag).toBeUndefined();
    expect(m.body.length).toBe(0);
  });

  it('builds and serializes a response with computed Content-Length', () => {
    const m = SipMessage.response(180, 'Ringing', [
      { name: 'Content-Length', value: '999' },
      { name: 'To', value: 'sip:a@b' },
    ]);
    m.body = Buffer.from([0, 1, 2]);
    const out = serializeMessage(m);
    expect(out.subarray(0, out.length - 3).toString()).toBe('SIP/2.0 180 Ringing\r\nTo: sip:a@b\r\nContent-Length: 3\r\n\r\n');
    expect([...out.subarray(out.length - 3)]).toEqual([0, 1, 2]);
  });

  it('serializer neutralises CR/LF in application values', () => {
    const m = SipMessage.request('OPTIONS', 'sip:a@b', [{ name: 'Subject', value: 'x\r\nInjected: yes' }]);
    expect(serializeMessage(m).toString()).toContain('Subject: x Injected: yes\r\n');
  });

  it('clone is independent', () => {
    const a = invite();
    const b = a.clone();
    b.setHeader('Max-Forwards', '69');
    expect(a.getHeader('max-forwards')).toBe('70');
    expect(b.getHeader('max-forwards')).toBe('69');
  });
});

describe('canonicalHeaderName', () => {
  it.each([
    ['v', 'Via'],
    ['call-id', 'Call-ID'],
    ['cseq', 'CSeq'],
    ['www-authenticate', 'WWW-Authenticate'],
    ['foo-bar', 'Foo-Bar'],
    ['X-custom-thing', 'X-custom-thing'],
    ['x-lower', 'x-lower'],
    ['I', 'Call-ID'],
    ['MAX-FORWARDS', 'Max-Forwards'],
    ['l', 'Content-Length'],
    ['o', 'Event'],
    ['y', 'Identity'],
  ])('%s -> %s', (input, want) => {
    expect(canonicalHeaderName(input)).toBe(want);
  });
});

describe('ids', () => {
  it('generates distinct identifiers with the right shape', () => {
    const b = generateBranch();
    expect(b.startsWith('z9hG4bK')).toBe(true);
    expect(b).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(generateBranch()).not.toBe(b);
    expect(generateTag()).toMatch(/^[0-9a-f]{16}$/);
    expect(generateCallId('h.example.com')).toMatch(/^[A-Za-z0-9_-]+@h\.example\.com$/);
  });
});
