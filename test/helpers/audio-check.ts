import { readFileSync, writeFileSync } from 'node:fs';

// Test-side audio: WAV writing/reading and a Goertzel detector, independent of src/media.

export function writeToneWav(path: string, freq: number, ms: number, rate = 8000): void {
  const n = Math.round((rate * ms) / 1000);
  const b = Buffer.alloc(44 + n * 2);
  b.write('RIFF', 0);
  b.writeUInt32LE(36 + n * 2, 4);
  b.write('WAVEfmt ', 8);
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20);
  b.writeUInt16LE(1, 22);
  b.writeUInt32LE(rate, 24);
  b.writeUInt32LE(rate * 2, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36);
  b.writeUInt32LE(n * 2, 40);
  for (let i = 0; i < n; i++) b.writeInt16LE(Math.round(10000 * Math.sin((2 * Math.PI * freq * i) / rate)), 44 + i * 2);
  writeFileSync(path, b);
}

export interface WavInfo {
  rate: number;
  channels: number;
  /** per channel */
  samples: Float64Array[];
  dataBytesInHeader: number;
}

export function readWav(path: string): WavInfo {
  const b = readFileSync(path);
  if (b.toString('ascii', 0, 4) !== 'RIFF' || b.toString('ascii', 8, 12) !== 'WAVE') throw new Error('not a WAV');
  const channels = b.readUInt16LE(22);
  const rate = b.readUInt32LE(24);
  const dataBytes = b.readUInt32LE(40);
  const frames = Math.floor(Math.min(dataBytes, b.length - 44) / (2 * channels));
  const samples = Array.from({ length: channels }, () => new Float64Array(frames));
  for (let i = 0; i < frames; i++) for (let c = 0; c < channels; c++) samples[c]![i] = b.readInt16LE(44 + (i * channels + c) * 2);
  return { rate, channels, samples, dataBytesInHeader: dataBytes };
}

/** Relative power of `freq` in `x` (Goertzel), normalised by the signal's energy: ~1 for a pure tone. */
export function toneStrength(x: Float64Array, freq: number, rate = 8000): number {
  const k = 2 * Math.cos((2 * Math.PI * freq) / rate);
  let s1 = 0;
  let s2 = 0;
  let energy = 0;
  for (let i = 0; i < x.length; i++) {
    const s0 = x[i]! + k * s1 - s2;
    s2 = s1;
    s1 = s0;
    energy += x[i]! * x[i]!;
  }
  const power = s1 * s1 + s2 * s2 - k * s1 * s2;
  return energy === 0 ? 0 : (2 * power) / (x.length * energy);
}

/** The strongest of `candidates`. */
export function dominant(x: Float64Array, candidates: number[], rate = 8000): number {
  let best = candidates[0]!;
  let bestS = -1;
  for (const f of candidates) {
    const s = toneStrength(x, f, rate);
    if (s > bestS) {
      bestS = s;
      best = f;
    }
  }
  return best;
}

/** Count of 160-sample frames whose mean absolute value exceeds `thresh`. */
export function loudFrames(x: Float64Array, thresh = 500): number {
  let n = 0;
  for (let f = 0; f + 160 <= x.length; f += 160) {
    let s = 0;
    for (let i = 0; i < 160; i++) s += Math.abs(x[f + i]!);
    if (s / 160 > thresh) n++;
  }
  return n;
}
