import { describe, expect, it } from 'vitest';
import { SipMessage, parseMessage, validateRequest } from '../../../src/sip/index.js';
import { INVITE } from './fixtures.js';

function invite(): SipMessage {
  const r = parseMessage(INVITE, { maxSize: 65535, datagram: true });
  if (!r.ok) throw new Error(r.error.reason);
  return r.msg;
}

describe('validateRequest', () => {
  it('accepts a well-formed INVITE', () => {
    expect(validateRequest(invite())).toBeNull();
  });

  it.each<[string, (m: SipMessage) => void, number, RegExp]>([
    [
      'bad version',
      (m) => {
        m.version = 'SIP/1.0';
      },
      505,
      /Version/,
    ],
    ['missing Via', (m) => m.removeHeader('via'), 400, /Missing Via/],
    ['missing CSeq', (m) => m.removeHeader('cseq'), 400, /Missing CSeq/],
    ['duplicate To', (m) => m.addHeader('t', 'sip:x@y'), 400, /Multiple To/],
    ['duplicate Max-Forwards', (m) => m.addHeader('Max-Forwards', '3'), 400, /Multiple Max-Forwards/],
    ['CSeq too large', (m) => m.setHeader('CSeq', '4294967296 INVITE'), 400, /2\^32-1/],
    ['CSeq not numeric', (m) => m.setHeader('CSeq', 'one INVITE'), 400, /CSeq/],
    ['CSeq method mismatch', (m) => m.setHeader('CSeq', '1 BYE'), 400, /CSeq method/],
    ['Max-Forwards not numeric', (m) => m.setHeader('Max-Forwards', 'seventy'), 400, /Max-Forwards/],
    ['empty Via element', (m) => m.setHeader('Via', 'SIP/2.0/UDP h;branch=z9hG4bK1,,SIP/2.0/UDP g'), 400, /Via/],
    ['bad From', (m) => m.setHeader('From', '"open <sip:a@b>;tag=1'), 400, /From/],
    ['bad Contact', (m) => m.setHeader('Contact', '<sip:a@b>;;'), 400, /Contact/],
    ['Route not bracketed', (m) => m.setHeader('Route', 'sip:p@h;lr'), 400, /Route/],
    [
      'R-URI with LWS',
      (m) => {
        m.uri = 'sip:a@b; lr';
      },
      400,
      /Request-URI/,
    ],
    [
      'R-URI in <>',
      (m) => {
        m.uri = '<sip:a@b>';
      },
      400,
      /Request-URI/,
    ],
    [
      'R-URI unknown scheme',
      (m) => {
        m.uri = 'mailto:a@b';
      },
      416,
      /Scheme/,
    ],
    [
      'R-URI malformed',
      (m) => {
        m.uri = 'sip:a@';
      },
      400,
      /Request-URI/,
    ],
  ])('%s', (_label, mutate, status, reason) => {
    const m = invite();
    mutate(m);
    const v = validateRequest(m);
    expect(v?.status).toBe(status);
    expect(v?.reason).toMatch(reason);
  });

  it('answers an unknown method with mismatching CSeq with 501', () => {
    const m = invite();
    m.method = 'NEWMETHOD';
    expect(validateRequest(m)?.status).toBe(501);
  });

  it('accepts tel and sips Request-URIs, Contact *, absent Max-Forwards', () => {
    const m = invite();
    m.uri = 'tel:+15551234';
    m.removeHeader('Max-Forwards');
    m.setHeader('Contact', '*');
    expect(validateRequest(m)).toBeNull();
    m.uri = 'sips:bob@[2001:db8::1]:5061';
    expect(validateRequest(m)).toBeNull();
  });

  it('never throws on odd messages', () => {
    const m = new SipMessage();
    expect(validateRequest(m)?.status).toBe(400);
    m.method = 'INVITE';
    m.headers = [
      { name: '', value: '' },
      { name: 'Via', value: '\u0000' },
    ];
    expect(() => validateRequest(m)).not.toThrow();
  });
});
