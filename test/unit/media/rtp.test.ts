import { describe, expect, it } from 'vitest';
import { decodeInto, encodeInto } from '../../../src/media/rtp/g711.js';
import { JitterBuffer } from '../../../src/media/rtp/jitter-buffer.js';
import { DtmfReceiver } from '../../../src/media/rtp/dtmf.js';
import { parseRtp, writeRtpHeader, type RtpHeader } from '../../../src/media/rtp/packet.js';
import { alawToLinear, linearToAlaw, linearToUlaw, ulawToLinear } from '../../helpers/rtp-peer.js';

describe('G.711 against the test peer’s independent formulas', () => {
  it('µ-law and A-law encode and decode agree with the reference for every sample value', () => {
    const pcm = new Int16Array(65536);
    for (let i = 0; i < 65536; i++) pcm[i] = i - 32768;
    for (const codec of ['PCMU', 'PCMA'] as const) {
      const enc = new Uint8Array(65536);
      encodeInto(codec, pcm, enc, 0);
      const ref = codec === 'PCMU' ? linearToUlaw : linearToAlaw;
      let mismatches = 0;
      for (let i = 0; i < 65536; i += 7) if (enc[i] !== ref(pcm[i]!)) mismatches++;
      expect(mismatches).toBe(0);
      const bytes = new Uint8Array(256).map((_v, i) => i);
      const dec = new Int16Array(256);
      decodeInto(codec, bytes, 0, 256, dec);
      const refDec = codec === 'PCMU' ? ulawToLinear : alawToLinear;
      for (let i = 0; i < 256; i++) expect(dec[i]).toBe(refDec(i) + 0);
    }
  });
});

describe('jitter buffer', () => {
  const frame = (v: number): Int16Array => new Int16Array(160).fill(v);

  it('reorders, waits for two frames before playout, plays a missing frame as silence', () => {
    const j = new JitterBuffer(160);
    const out = new Int16Array(160);
    j.slotFor(11)!.set(frame(11));
    expect(j.pop(out)).toBe(false);
    j.slotFor(10)!.set(frame(10));
    j.slotFor(13)!.set(frame(13));
    expect(j.pop(out) && out[0]).toBe(10);
    expect(j.pop(out) && out[0]).toBe(11);
    expect(j.pop(out) && out[0]).toBe(0);
    expect(j.pop(out) && out[0]).toBe(13);
    expect(j.pop(out)).toBe(false);
    expect(j.slotFor(9)).toBeUndefined();
  });

  it('wraps around the 16-bit sequence and restarts on a far jump', () => {
    const j = new JitterBuffer(160);
    const out = new Int16Array(160);
    j.slotFor(65535)!.set(frame(1));
    j.slotFor(0)!.set(frame(2));
    expect(j.pop(out) && out[0]).toBe(1);
    expect(j.pop(out) && out[0]).toBe(2);
    j.slotFor(30000)!.set(frame(3));
    j.slotFor(30001)!.set(frame(4));
    expect(j.pop(out) && out[0]).toBe(3);
  });
});

describe('RTP header and RFC 4733 receive', () => {
  it('parses what it writes, with CSRCs and padding', () => {
    const b = Buffer.alloc(12 + 8 + 4 + 3);
    writeRtpHeader(b, 101, true, 65535, 0xfffffff0, 42);
    b[0] = 0x80 | 0x20 | 2;
    b[b.length - 1] = 3;
    const h: RtpHeader = { marker: false, pt: 0, seq: 0, ts: 0, ssrc: 0, payloadOffset: 0, payloadLength: 0 };
    expect(parseRtp(b, h)).toBe(true);
    expect(h).toMatchObject({ marker: true, pt: 101, seq: 65535, ts: 0xfffffff0, ssrc: 42, payloadOffset: 20, payloadLength: 4 });
    expect(parseRtp(Buffer.from([0x40, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), h)).toBe(false);
  });

  it('reports one digit per event, at the first end packet, with the duration', () => {
    const r = new DtmfReceiver();
    const p = (ev: number, end: boolean, dur: number): Buffer => Buffer.from([ev, end ? 0x8a : 0x0a, dur >> 8, dur & 255]);
    expect(r.onPacket(p(5, false, 160), 0, 4, 1000, 1)).toBeUndefined();
    expect(r.onPacket(p(5, true, 800), 0, 4, 1000, 1)).toEqual({ digit: '5', duration: 800, ssrc: 1, timestamp: 1000 });
    expect(r.onPacket(p(5, true, 800), 0, 4, 1000, 1)).toBeUndefined();
    expect(r.onPacket(p(11, true, 800), 0, 4, 2000, 1)?.digit).toBe('#');
  });
});
