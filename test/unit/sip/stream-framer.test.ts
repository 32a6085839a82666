import { describe, expect, it } from 'vitest';
import { StreamFramer } from '../../../src/sip/index.js';
import { INVITE, OK_200 } from './fixtures.js';
import { vector } from './vectors.js';

const text = (b: Buffer): string => b.toString('latin1');

function drain(f: StreamFramer): Buffer[] {
  const out: Buffer[] = [];
  for (;;) {
    const r = f.next();
    if (r.kind === 'message') out.push(r.buf);
    else if (r.kind === 'error') throw new Error(r.reason);
    else return out;
  }
}

describe('StreamFramer', () => {
  it('yields a whole message pushed in one chunk', () => {
    const f = new StreamFramer(65535);
    f.push(INVITE);
    expect(drain(f)).toEqual([INVITE]);
    expect(f.buffered).toBe(0);
  });

  it('handles a split at every byte position', () => {
    const stream = Buffer.concat([INVITE, OK_200]);
    for (let cut = 1; cut < stream.length; cut++) {
      const f = new StreamFramer(65535);
      f.push(stream.subarray(0, cut));
      const got = drain(f);
      f.push(stream.subarray(cut));
      got.push(...drain(f));
      expect(got.map(text), `cut ${cut}`).toEqual([INVITE, OK_200].map(text));
    }
  });

  it('handles byte-at-a-time delivery', () => {
    const stream = Buffer.concat([Buffer.from('\r\n\r\n'), INVITE, Buffer.from('\r\n'), OK_200]);
    const f = new StreamFramer(65535);
    const got: Buffer[] = [];
    for (let i = 0; i < stream.length; i++) {
      f.push(stream.subarray(i, i + 1));
      got.push(...drain(f));
    }
    expect(got).toEqual([INVITE, OK_200]);
  });

  it('yields several messages from one chunk and skips CRLF keep-alives', () => {
    const f = new StreamFramer(65535);
    f.push(Buffer.concat([Buffer.from('\r\n\r\n'), OK_200, Buffer.from('\r\n\r\n'), INVITE, OK_200, Buffer.from('\r\n')]));
    expect(drain(f)).toEqual([OK_200, INVITE, OK_200]);
    expect(f.buffered).toBe(0);
  });

  it('reports double-CRLF pings, also when split across chunks', () => {
    let pings = 0;
    const f = new StreamFramer(65535, { onPing: () => pings++ });
    f.push(Buffer.from('\r\n\r'));
    expect(f.next().kind).toBe('need-more');
    expect(pings).toBe(0);
    f.push(Buffer.from('\n'));
    expect(f.next().kind).toBe('need-more');
    expect(pings).toBe(1);
    f.push(Buffer.concat([Buffer.from('\r\n'), OK_200, Buffer.from('\r\n\r\n\r\n\r\n')]));
    expect(drain(f)).toHaveLength(1);
    expect(pings).toBe(3);
  });

  it('keeps binary bodies intact (mpart01)', () => {
    const buf = vector('mpart01.dat');
    const f = new StreamFramer(65535);
    f.push(buf.subarray(0, 700));
    expect(f.next().kind).toBe('need-more');
    f.push(buf.subarray(700));
    expect(drain(f)).toEqual([buf]);
  });

  it('reports the bytes it holds', () => {
    const f = new StreamFramer(65535);
    f.push(INVITE.subarray(0, 100));
    expect(f.next().kind).toBe('need-more');
    expect(f.buffered).toBe(100);
  });

  it('rejects a header section larger than maxSize', () => {
    const f = new StreamFramer(1024);
    f.push(Buffer.from(`OPTIONS sip:a@b SIP/2.0\r\nX-Big: ${'a'.repeat(2000)}\r\n`));
    expect(f.next()).toEqual({ kind: 'error', reason: 'Header section too large' });
    f.push(OK_200);
    expect(f.next().kind).toBe('error');
  });

  it('rejects a message whose Content-Length exceeds maxSize', () => {
    const f = new StreamFramer(1024);
    f.push(Buffer.from('MESSAGE sip:a@b SIP/2.0\r\nContent-Length: 5000\r\n\r\n'));
    expect(f.next().kind).toBe('error');
  });

  it.each([
    ['missing', 'OPTIONS sip:a@b SIP/2.0\r\nVia: x\r\n\r\n', /Missing/],
    ['negative', 'OPTIONS sip:a@b SIP/2.0\r\nContent-Length: -5\r\n\r\n', /Negative/],
    ['non-numeric', 'OPTIONS sip:a@b SIP/2.0\r\nl: 12a\r\n\r\n', /Invalid/],
    ['conflicting', 'OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 3\r\nl: 4\r\n\r\nabcd', /Conflicting/],
  ])('rejects %s Content-Length', (_label, text, reason) => {
    const f = new StreamFramer(65535);
    f.push(Buffer.from(text));
    const r = f.next();
    expect(r.kind).toBe('error');
    if (r.kind === 'error') expect(r.reason).toMatch(reason);
  });

  it('accepts equal duplicate and folded Content-Length', () => {
    const f = new StreamFramer(65535);
    f.push(Buffer.from('OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 2\r\nContent-Length :\r\n 2\r\n\r\nokNEXT'));
    const r = f.next();
    expect(r.kind).toBe('message');
    expect(f.buffered).toBe(4);
  });

  it('errors for ncl.dat and mcl01.dat', () => {
    for (const file of ['ncl.dat', 'mcl01.dat']) {
      const f = new StreamFramer(65535);
      f.push(vector(file));
      expect(f.next().kind, file).toBe('error');
    }
  });

  it('waits for the missing body bytes (clerr.dat over a stream)', () => {
    const f = new StreamFramer(65535);
    f.push(vector('clerr.dat'));
    expect(f.next().kind).toBe('need-more');
  });
});
