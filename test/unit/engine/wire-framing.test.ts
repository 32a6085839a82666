import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FrameDecoder, FrameError, encodeFrame } from '../../../src/engine/wire/frame-decoder.js';
import { decodeAppFrame, okFrame, requestSentFrame, responseSentFrame, sipFrame } from '../../../src/engine/wire/leader.js';

const UTF8_PAYLOAD =
  '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f|sip|network|288|udp|203.0.113.7|5060|10:15:02.123456|5d3c2b1a-0f9e-4d8c-b7a6-958473625140||10.0.0.5|5060|\r\n' +
  'MESSAGE sip:100@10.0.0.5 SIP/2.0\r\nVia: SIP/2.0/UDP 203.0.113.7:5060;branch=z9hG4bK776asdhds\r\nMax-Forwards: 70\r\n' +
  'From: "Zoë" <sip:zoe@example.com>;tag=49583\r\nTo: <sip:100@10.0.0.5>\r\nCall-ID: a84b4c76e66710@203.0.113.7\r\nCSeq: 1 MESSAGE\r\n' +
  'Content-Type: text/plain\r\nContent-Length: 6\r\n\r\nhé!!!';

describe('wire framing (protocol §1.2)', () => {
  it('frame lengths count UTF-8 bytes, not characters (the §13.1 vector)', () => {
    const frame = Buffer.from(encodeFrame(UTF8_PAYLOAD), 'utf8');
    expect(frame.subarray(0, 4).toString()).toBe('432#');
    expect(UTF8_PAYLOAD.length).toBe(430);
  });

  it("srf's authenticate with no tags keeps its trailing empty token", () => {
    const f = decodeAppFrame('2b2c1b0e-6b0a-4d57-9c39-0f8f6b1f2a10|authenticate|cymru|');
    expect(f).toMatchObject({ type: 'authenticate', args: ['cymru', ''], sip: '' });
  });

  it('decodes frames split at every byte position and several frames per chunk', () => {
    const payloads = ['a|ping', UTF8_PAYLOAD, 'b|route|invite'];
    const all = Buffer.concat(payloads.map((p) => Buffer.from(encodeFrame(p), 'utf8')));
    for (let cut = 1; cut < all.length; cut += 7) {
      const d = new FrameDecoder(1 << 20);
      const out: string[] = [];
      for (const part of [all.subarray(0, cut), all.subarray(cut)]) {
        d.push(part);
        for (let p = d.next(); p !== undefined; p = d.next()) out.push(p);
      }
      expect(out).toEqual(payloads);
    }
  });

  it('rejects garbage length prefixes and oversized frames', () => {
    const d = new FrameDecoder(100);
    d.push(Buffer.from('12x#hello'));
    expect(() => d.next()).toThrow(FrameError);
    const big = new FrameDecoder(100);
    big.push(Buffer.from('101#'));
    expect(() => big.next()).toThrow(/exceeds/);
  });

  it('round-trips arbitrary unicode payloads (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', minLength: 1 }), { minLength: 1, maxLength: 5 }), (payloads) => {
        const d = new FrameDecoder(1 << 20);
        d.push(Buffer.concat(payloads.map((p) => Buffer.from(encodeFrame(p), 'utf8'))));
        const out: string[] = [];
        for (let p = d.next(); p !== undefined; p = d.next()) out.push(p);
        expect(out).toEqual(payloads);
      }),
    );
  });
});

describe('leader layouts srf parses (protocol §3)', () => {
  const meta = { source: 'network' as const, bytes: 12, protocol: 'udp' as const, address: '203.0.113.7', port: 5060, time: '10:15:02.123456' };

  it('a new-request sip frame has an empty dialog id, the local address/port and a trailing pipe', () => {
    const f = sipFrame(meta, 'T1', '', 'INVITE ...', { address: '10.0.0.5', port: 5060 });
    const tokens = f.slice(0, f.indexOf('\r')).split('|');
    expect(tokens.slice(1)).toEqual(['sip', 'network', '12', 'udp', '203.0.113.7', '5060', '10:15:02.123456', 'T1', '', '10.0.0.5', '5060', '']);
  });

  it('an in-dialog sip frame has at least ten tokens and no local address', () => {
    const f = sipFrame(meta, 'T2', 'c1;from-tag=ft1', 'BYE ...');
    const tokens = f.slice(0, f.indexOf('\r')).split('|');
    expect(tokens.length).toBeGreaterThan(9);
    expect(tokens[9]).toBe('c1;from-tag=ft1');
  });

  it('request and response echoes put the transaction id at token 10 and "Msg sent:" where srf looks', () => {
    const req = requestSentFrame('m1', { ...meta, source: 'application' }, 'T5', 'INVITE ...')
      .split('\r')[0]!
      .split('|');
    expect([req[2], req[3], req[10], req[11], req[12]]).toEqual(['m1', 'OK', 'T5', 'Msg sent:', '']);
    const res = responseSentFrame('m2', { ...meta, source: 'application' }, 'T1', 'c1;from-tag=ft1', 'SIP/2.0 200 OK')
      .split('\r')[0]!
      .split('|');
    expect([res[10], res[11], res[12], res[13], res[14]]).toEqual(['T1', 'c1;from-tag=ft1', '', 'Msg sent:', '']);
    expect(okFrame('r', 'pong').split('|').slice(2)).toEqual(['r', 'OK', 'pong']);
  });
});
