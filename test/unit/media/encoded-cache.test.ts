import { describe, expect, it } from 'vitest';
import { encodedOnce } from '../../../src/media/audio/encoded-cache.js';
import { PcmSource } from '../../../src/media/audio/sources.js';
import { encodeInto } from '../../../src/media/rtp/g711.js';

describe('pre-encoded prompts', () => {
  const samples = Int16Array.from({ length: 400 }, (_, i) => Math.round(Math.sin(i / 7) * 12000));

  it('encodes a file once per codec and matches frame-by-frame encoding', () => {
    const u = encodedOnce(samples, 'PCMU')!;
    expect(encodedOnce(samples, 'PCMU')).toBe(u);
    const a = encodedOnce(samples, 'PCMA')!;
    const expectU = new Uint8Array(400);
    const expectA = new Uint8Array(400);
    encodeInto('PCMU', samples, expectU, 0);
    encodeInto('PCMA', samples, expectA, 0);
    expect([...u]).toEqual([...expectU]);
    expect([...a]).toEqual([...expectA]);
  });

  it('a source reports where its whole frames start, and -1 for the short last one', () => {
    const s = new PcmSource(samples, 30);
    const out = new Int16Array(160);
    const at: number[] = [];
    while (s.read(out)) at.push(s.frameAt);
    expect(at).toEqual([30, 190, -1]);
  });
});
