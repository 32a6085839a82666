import { describe, expect, it } from 'vitest';
import { parseMessage, serializeMessage, type ParseResult, type SipMessage } from '../../../src/sip/index.js';
import { INVITE, OK_200, inviteText } from './fixtures.js';

const UDP = { maxSize: 65535, datagram: true };
const TCP = { maxSize: 65535, datagram: false };

function ok(r: ParseResult): SipMessage {
  if (!r.ok) throw new Error(r.error.reason);
  return r.msg;
}

function lines(...l: string[]): Buffer {
  return Buffer.from(`${l.join('\r\n')}\r\n`);
}

const BASE = [
  'OPTIONS sip:bob@example.com SIP/2.0',
  'Via: SIP/2.0/UDP host.example.com;branch=z9hG4bK1',
  'From: <sip:a@example.com>;tag=1',
  'To: <sip:bob@example.com>',
  'Call-ID: c1',
  'CSeq: 1 OPTIONS',
];

describe('parseMessage', () => {
  it('parses a typical INVITE', () => {
    const r = parseMessage(INVITE, UDP);
    const m = ok(r);
    expect(r.ok && r.length).toBe(INVITE.length);
    expect(m.isRequest).toBe(true);
    expect(m.method).toBe('INVITE');
    expect(m.uri).toBe('sip:bob@biloxi.example.com');
    expect(m.callId).toBe('a84b4c76e66710@pc33.atlanta.example.com');
    expect(m.cseq).toEqual({ seq: 314159, method: 'INVITE' });
    expect(m.fromTag).toBe('1928301774');
    expect(m.toTag).toBeUndefined();
    expect(m.topVia()).toMatchObject({ transport: 'UDP', host: 'pc33.atlanta.example.com', port: 5060, rport: null });
    expect(m.getHeaderValues('allow')).toEqual(['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS']);
    expect(m.body.toString()).toContain('m=audio');
  });

  it('parses a response', () => {
    const m = ok(parseMessage(OK_200, TCP));
    expect([m.isRequest, m.status, m.reason, m.method, m.uri]).toEqual([false, 200, 'OK', '', '']);
    expect(m.toTag).toBe('a6c85cf');
    expect(m.topVia()?.received).toBe('192.0.2.10');
  });

  it('ignores leading CRLFs and accepts bare-LF line ends', () => {
    const m = ok(parseMessage(Buffer.concat([Buffer.from('\r\n\r\n'), OK_200]), UDP));
    expect(m.status).toBe(200);
    const lf = ok(parseMessage(Buffer.from(OK_200.toString('latin1').replace(/\r\n/g, '\n')), TCP));
    expect(lf.callId).toBe('a84b4c76e66710@pc33.atlanta.example.com');
  });

  it('treats compact forms as their long names', () => {
    const m = ok(
      parseMessage(lines('OPTIONS sip:a@b SIP/2.0', 'v: SIP/2.0/TCP h;branch=z9hG4bKx', 'f: <sip:x@y>;tag=9', 't: sip:a@b', 'i: cid', 'CSeq: 2 OPTIONS', 'm: <sip:x@h>', 'k: timer', 'l: 0', ''), TCP),
    );
    expect(m.getHeader('Via')).toBe('SIP/2.0/TCP h;branch=z9hG4bKx');
    expect(m.getHeader('FROM')).toBe('<sip:x@y>;tag=9');
    expect(m.getHeader('to')).toBe('sip:a@b');
    expect(m.callId).toBe('cid');
    expect(m.getHeader('contact')).toBe('<sip:x@h>');
    expect(m.getHeader('Supported')).toBe('timer');
    expect(m.headers.map((h) => h.name)).toEqual(['v', 'f', 't', 'i', 'CSeq', 'm', 'k', 'l']);
  });

  it('unfolds continuation lines to one SP', () => {
    const m = ok(parseMessage(lines(...BASE, "Subject: I know you're", ' \t there,', '        pick up!', 'l: 0', ''), TCP));
    expect(m.getHeader('s')).toBe("I know you're there, pick up!");
  });

  it('splits multi-valued headers but not auth headers', () => {
    const m = ok(
      parseMessage(
        lines(
          ...BASE,
          'Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK2, SIP/2.0/TCP [2001:db8::1]:5061;branch=z9hG4bK3',
          'Contact: "Doe, John" <sip:j@h1>;q=0.5, <sip:j@h2;x=a,b>',
          'WWW-Authenticate: Digest realm="a,b", nonce="x", qop="auth,auth-int"',
          'l: 0',
          '',
        ),
        UDP,
      ),
    );
    expect(m.getHeaderValues('via')).toEqual(['SIP/2.0/UDP host.example.com;branch=z9hG4bK1', 'SIP/2.0/UDP a.example.com;branch=z9hG4bK2', 'SIP/2.0/TCP [2001:db8::1]:5061;branch=z9hG4bK3']);
    expect(m.headers.filter((h) => h.name === 'Via')).toHaveLength(2);
    expect(m.getHeaderValues('contact')).toEqual(['"Doe, John" <sip:j@h1>;q=0.5', '<sip:j@h2;x=a,b>']);
    expect(m.getHeaderValues('www-authenticate')).toHaveLength(1);
  });

  it('keeps unknown headers verbatim, including non-UTF-8 octets', () => {
    const head = Buffer.from(`${BASE.join('\r\n')}\r\nX-Weird_Name.1: ;;,, odd \t value\r\nX-Bin: `);
    const buf = Buffer.concat([head, Buffer.from([0xff, 0xfe, 0x41]), Buffer.from('\r\nContent-Length: 0\r\n\r\n')]);
    const m = ok(parseMessage(buf, TCP));
    expect(m.getHeader('x-weird_name.1')).toBe(';;,, odd \t value');
    expect(m.getHeader('X-Bin')).toContain('A');
  });

  it('uses Content-Length to frame and reports consumed length', () => {
    const buf = Buffer.concat([INVITE, Buffer.from('garbage')]);
    const r = parseMessage(buf, UDP);
    expect(r.ok && r.length).toBe(INVITE.length);
  });

  it('rejects over-size messages with 413', () => {
    const big = Buffer.from(inviteText('x'.repeat(5000)));
    const r = parseMessage(big, { maxSize: 4096, datagram: true });
    expect(!r.ok && r.error.status).toBe(413);
    expect(!r.ok && r.error.reason).toBe('Message Too Large');
    const hugeHeader = lines(...BASE, `X-Long: ${'a'.repeat(3000)}`, 'l: 0', '');
    const h = parseMessage(hugeHeader, { maxSize: 65535, datagram: true, maxHeaderSize: 2048 });
    expect(!h.ok && h.error.status).toBe(413);
  });

  it('requires Content-Length on streams only', () => {
    const noCl = lines(...BASE, '', 'body');
    expect(ok(parseMessage(noCl, UDP)).body.toString()).toBe('body\r\n');
    const r = parseMessage(noCl, TCP);
    expect(!r.ok && r.error.fatalForStream).toBe(true);
  });

  it('rejects a header line without a colon but keeps the rest as partial', () => {
    const r = parseMessage(lines(...BASE, 'This is not a header', 'l: 0', ''), UDP);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.status).toBe(400);
    expect(r.error.isRequest).toBe(true);
    expect(r.error.fatalForStream).toBe(false);
    expect(r.error.partial?.callId).toBe('c1');
  });

  it.each([['SIP/2.0 2000 OK'], ['SIP/2.0 099 Low'], ['SIP/2.0 700 High'], ['SIP/2.0 20x OK'], ['SIP/2.0 1e2 OK'], ['SIP/2.0 +20 OK'], ['SIP/3.0 200 OK']])(
    'drops malformed status line %s',
    (line) => {
      const r = parseMessage(Buffer.from(OK_200.toString('latin1').replace('SIP/2.0 200 OK', line)), UDP);
      expect(r.ok).toBe(false);
      expect(!r.ok && r.error.isRequest).toBe(false);
    },
  );

  it('drops responses lacking mandatory headers', () => {
    const r = parseMessage(Buffer.from('SIP/2.0 200 OK\r\nCall-ID: x\r\nContent-Length: 0\r\n\r\n'), UDP);
    expect(!r.ok && r.error.isRequest).toBe(false);
  });

  it('fromApp: responses may omit the headers the engine fills in', () => {
    const r = parseMessage(Buffer.from('SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n'), { ...UDP, fromApp: true });
    expect(r.ok && r.msg.status).toBe(200);
  });

  it('answers a garbage start line with isRequest undefined', () => {
    for (const s of ['hello\r\n\r\n', ' INVITE sip:a@b SIP/2.0\r\n\r\n', '\x00\x01\x02', '\r\n\r\n']) {
      const r = parseMessage(Buffer.from(s, 'latin1'), UDP);
      expect(r.ok).toBe(false);
      expect(!r.ok && r.error.isRequest).toBeUndefined();
      expect(!r.ok && r.error.partial).toBeUndefined();
    }
  });

  it('answers a bad version with 505 and a partial', () => {
    const r = parseMessage(lines('OPTIONS sip:a@b SIP/3.0', ...BASE.slice(1), 'l: 0', ''), UDP);
    expect(!r.ok && r.error.status).toBe(505);
    expect(!r.ok && r.error.partial?.cseq.seq).toBe(1);
  });

  it('accepts leading zeros in CSeq and Content-Length', () => {
    const m = ok(parseMessage(lines(...BASE.slice(0, 5), 'CSeq: 000000000000000000001 OPTIONS', 'l: 0000000000000000002', '', 'ab'), TCP));
    expect(m.cseq.seq).toBe(1);
    expect(m.body.toString()).toBe('ab');
  });

  it('round-trips parse -> serialize -> parse', () => {
    for (const buf of [INVITE, OK_200]) {
      const a = ok(parseMessage(buf, UDP));
      const out = serializeMessage(a);
      expect(out.equals(buf)).toBe(true);
      const b = ok(parseMessage(out, TCP));
      expect(b.headers).toEqual(a.headers);
    }
  });
});
