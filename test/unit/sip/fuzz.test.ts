import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StreamFramer, parseMessage, serializeMessage, validateRequest } from '../../../src/sip/index.js';
import { INVITE, OK_200 } from './fixtures.js';
import { VECTORS, vector } from './vectors.js';

const SEEDS: Buffer[] = [INVITE, OK_200, ...VECTORS.map((v) => vector(v.file))];
const INTERESTING = [0x00, 0x09, 0x0a, 0x0d, 0x20, 0x22, 0x2c, 0x2d, 0x3a, 0x3b, 0x3c, 0x3e, 0x3d, 0x40, 0x5b, 0x5c, 0x5d, 0x80, 0xff];

function exercise(buf: Buffer): void {
  for (const datagram of [true, false]) {
    const r = parseMessage(buf, { maxSize: 8192, datagram });
    if (r.ok) {
      const m = r.msg;
      void [m.callId, m.cseq, m.fromTag, m.toTag, m.topVia(), m.getHeaderValues('via'), m.getHeaderValues('contact')];
      if (m.isRequest) validateRequest(m);
      const again = parseMessage(serializeMessage(m), { maxSize: 1 << 20, datagram: false });
      if (m.isRequest) expect(again.ok || again.error.status !== 413).toBe(true);
    } else {
      expect(r.error.reason).toMatch(/^[\x20-\x7e]+$/);
      if (r.error.partial?.isRequest) validateRequest(r.error.partial);
    }
  }
  const f = new StreamFramer(8192);
  f.push(buf);
  for (let i = 0; i < 10 && f.next().kind === 'message'; i++);
}

const mutated = fc
  .tuple(
    fc.constantFrom(...SEEDS),
    fc.array(fc.tuple(fc.nat(), fc.oneof(fc.constantFrom(...INTERESTING), fc.integer({ min: 0, max: 255 })), fc.constantFrom('set', 'insert', 'delete')), { minLength: 1, maxLength: 8 }),
  )
  .map(([seed, edits]) => {
    const bytes = [...seed];
    for (const [pos, byte, op] of edits) {
      const at = bytes.length === 0 ? 0 : pos % bytes.length;
      if (op === 'set') bytes[at] = byte;
      else if (op === 'insert') bytes.splice(at, 0, byte);
      else bytes.splice(at, 1);
    }
    return Buffer.from(bytes);
  });

describe('fuzz: nothing throws', () => {
  it('random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (a) => exercise(Buffer.from(a))),
      { numRuns: 2000 },
    );
  });

  it('mutated valid messages', () => {
    fc.assert(
      fc.property(mutated, (buf) => exercise(buf)),
      { numRuns: 3000 },
    );
  });

  it('random header-ish text', () => {
    const line = fc.stringMatching(/^[ -~\t]{0,40}$/);
    const msg = fc
      .tuple(fc.constantFrom('INVITE sip:a@b SIP/2.0', 'SIP/2.0 200 OK', 'X y z'), fc.array(line, { maxLength: 12 }), fc.boolean())
      .map(([start, ls, lf]) => Buffer.from([start, ...ls, '', 'body'].join(lf ? '\n' : '\r\n'), 'latin1'));
    fc.assert(
      fc.property(msg, (buf) => exercise(buf)),
      { numRuns: 2000 },
    );
  });

  it('framer with random chunking of concatenated messages', () => {
    const stream = Buffer.concat([Buffer.from('\r\n\r\n'), INVITE, OK_200, INVITE]);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 200 }), { maxLength: 40 }), (sizes) => {
        const f = new StreamFramer(65535);
        const got: string[] = [];
        let off = 0;
        for (const s of [...sizes, stream.length]) {
          f.push(stream.subarray(off, off + s));
          off += s;
          for (let r = f.next(); r.kind === 'message'; r = f.next()) got.push(r.buf.toString('latin1'));
        }
        expect(got).toEqual([INVITE, OK_200, INVITE].map((b) => b.toString('latin1')));
      }),
      { numRuns: 300 },
    );
  });
});
