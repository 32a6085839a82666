import { encodeInto, type Codec } from '../rtp/g711.js';

/** Longest audio encoded whole (10 min at 8 kHz: a one-off loop of a few ms); longer files encode per frame. */
const MAX_SAMPLES = 8000 * 600;
const cache = new WeakMap<Int16Array, Partial<Record<Codec, Uint8Array>>>();

/**
 * The G.711 encoding of decoded audio, computed on first use and kept as long as the samples are
 * (the file cache shares one array per file), so every channel playing a prompt copies bytes
 * instead of encoding each frame.
 */
export function encodedOnce(samples: Int16Array, codec: Codec): Uint8Array | undefined {
  if (samples.length > MAX_SAMPLES) return undefined;
  let byCodec = cache.get(samples);
  if (!byCodec) {
    byCodec = {};
    cache.set(samples, byCodec);
  }
  let e = byCodec[codec];
  if (!e) {
    e = new Uint8Array(samples.length);
    encodeInto(codec, samples, e, 0);
    byCodec[codec] = e;
  }
  return e;
}
