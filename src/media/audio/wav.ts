import { MediaError } from '../errors.js';

export interface DecodedAudio {
  /** mono 8 kHz samples, what the channel plays */
  samples: Int16Array;
  /** the file's own rate and sample count (FreeSWITCH's counters are in those) */
  nativeRate: number;
  nativeSamples: number;
}

/** Reads a PCM16 WAV (any rate, mono or stereo) and converts it to mono 8 kHz. */
export function decodeWav(buf: Buffer): DecodedAudio {
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') throw new MediaError('MEDIA_BAD_WAV', 'not a RIFF/WAVE file');
  let off = 12;
  let rate = 0;
  let channels = 0;
  let bits = 0;
  let format = 0;
  while (off + 8 <= buf.length) {
    const id = buf.toString('ascii', off, off + 4);
    let size = buf.readUInt32LE(off + 4);
    const body = off + 8;
    if (id === 'fmt ' && body + 16 <= buf.length) {
      format = buf.readUInt16LE(body);
      channels = buf.readUInt16LE(body + 2);
      rate = buf.readUInt32LE(body + 4);
      bits = buf.readUInt16LE(body + 14);
    } else if (id === 'data') {
      if (format !== 1 || bits !== 16 || channels < 1 || rate < 8000) throw new MediaError('MEDIA_BAD_WAV', `unsupported WAV format ${format}/${bits} bit/${channels} ch/${rate} Hz`);
      if (size === 0 || body + size > buf.length) size = buf.length - body; // streamed or truncated file
      const frames = Math.floor(size / (2 * channels));
      const mono = new Int16Array(frames);
      for (let i = 0; i < frames; i++) {
        let s = 0;
        for (let c = 0; c < channels; c++) s += buf.readInt16LE(body + (i * channels + c) * 2);
        mono[i] = s / channels;
      }
      return { samples: resampleTo8k(mono, rate), nativeRate: rate, nativeSamples: frames };
    }
    off = body + size + (size & 1);
  }
  throw new MediaError('MEDIA_BAD_WAV', 'no data chunk');
}

/** Box-filter decimation for integer ratios (16 k → 8 k averages pairs), nearest sample otherwise. */
function resampleTo8k(x: Int16Array, rate: number): Int16Array {
  if (rate === 8000) return x;
  const ratio = rate / 8000;
  const n = Math.floor(x.length / ratio);
  const out = new Int16Array(n);
  const k = Math.round(ratio);
  if (Math.abs(ratio - k) < 1e-9) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < k; j++) s += x[i * k + j]!;
      out[i] = s / k;
    }
  } else for (let i = 0; i < n; i++) out[i] = x[Math.floor(i * ratio)]!;
  return out;
}
