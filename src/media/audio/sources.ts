import type { FrameSource } from '../channel/media-taps.js';
import type { Codec } from '../rtp/g711.js';
import { encodedOnce } from './encoded-cache.js';

/** Plays decoded samples from an offset. */
export class PcmSource implements FrameSource {
  pos: number;
  frameAt = -1;
  constructor(
    private readonly samples: Int16Array,
    start = 0,
  ) {
    this.pos = Math.min(Math.max(0, start), samples.length);
  }

  read(out: Int16Array): boolean {
    if (this.pos >= this.samples.length) return false;
    const n = Math.min(out.length, this.samples.length - this.pos);
    this.frameAt = n === out.length ? this.pos : -1;
    const src = this.samples;
    const p = this.pos;
    for (let i = 0; i < n; i++) out[i] = src[p + i]!;
    if (n < out.length) out.fill(0, n);
    this.pos += n;
    return true;
  }

  encoded(codec: Codec): Uint8Array | undefined {
    return encodedOnce(this.samples, codec);
  }
}

/** silence_stream://<ms> (−1 or 0: forever). */
export class SilenceSource implements FrameSource {
  private left: number;
  constructor(ms: number) {
    this.left = ms <= 0 ? Infinity : Math.ceil((ms * 8) / 160);
  }

  read(out: Int16Array): boolean {
    if (this.left <= 0) return false;
    this.left--;
    out.fill(0);
    return true;
  }
}

interface ToneSegment {
  on: number;
  off: number;
  freqs: number[];
}

/**
 * tone_stream:// (a subset of FreeSWITCH's teletone script): `%(on_ms,off_ms,f1[+f2…])` segments,
 * `;`-separated, with an optional `L=<loops>;` prefix (-1 forever). Generates at 8 kHz.
 */
export class ToneSource implements FrameSource {
  private readonly segs: ToneSegment[];
  private loops: number;
  private seg = 0;
  private t = 0;

  constructor(spec: string) {
    const m = /^L=(-?\d+);/.exec(spec);
    this.loops = m ? Number(m[1]) : 1;
    this.segs = [...spec.matchAll(/%\((\d+),(\d+),([\d.+,]+)\)/g)].map((x) => ({ on: Number(x[1]), off: Number(x[2]), freqs: x[3]!.split(/[+,]/).map(Number) }));
  }

  get valid(): boolean {
    return this.segs.length > 0;
  }

  read(out: Int16Array): boolean {
    for (let i = 0; i < out.length; i++) {
      let s = this.segs[this.seg];
      while (s && this.t >= (s.on + s.off) * 8) {
        this.t = 0;
        this.seg++;
        if (this.seg >= this.segs.length) {
          if (this.loops > 0) this.loops--;
          if (this.loops === 0) {
            if (i === 0) return false;
            out.fill(0, i);
            return true;
          }
          this.seg = 0;
        }
        s = this.segs[this.seg];
      }
      if (!s) return false;
      let v = 0;
      if (this.t < s.on * 8) for (const f of s.freqs) v += Math.sin((2 * Math.PI * f * this.t) / 8000);
      out[i] = Math.round((v / Math.max(1, s.freqs.length)) * 8000);
      this.t++;
    }
    return true;
  }
}
