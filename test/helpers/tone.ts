import { readFileSync, writeFileSync } from 'node:fs';

/** Writes a 16-bit mono PCM WAV holding a sine tone (what a softphone plays into a call). */
export function writeToneWav(file: string, hz: number, seconds: number, rate = 8000, amplitude = 0.5): void {
  const n = Math.round(seconds * rate);
  const data = Buffer.alloc(n * 2);
  for (let i = 0; i < n; i++) data.writeInt16LE(Math.round(amplitude * 32767 * Math.sin((2 * Math.PI * hz * i) / rate)), i * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  writeFileSync(file, Buffer.concat([header, data]));
}

export interface Pcm {
  rate: number;
  samples: Float64Array;
}

/** Reads a 16-bit mono PCM WAV (as libsndfile writes them); a data chunk cut short is read as far as it goes. */
export function readWav(file: string): Pcm {
  const buf = readFileSync(file);
  if (buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') throw new Error(`${file}: not a WAV file`);
  let rate = 0;
  let off = 12;
  while (off + 8 <= buf.length) {
    const id = buf.toString('ascii', off, off + 4);
    const size = buf.readUInt32LE(off + 4);
    const body = off + 8;
    if (id === 'fmt ') {
      const format = buf.readUInt16LE(body);
      const channels = buf.readUInt16LE(body + 2);
      const bits = buf.readUInt16LE(body + 14);
      if (format !== 1 || channels !== 1 || bits !== 16) throw new Error(`${file}: format ${format}, ${channels} channels, ${bits} bits; expected 16-bit mono PCM`);
      rate = buf.readUInt32LE(body + 4);
    } else if (id === 'data') {
      const end = size > 0 && body + size <= buf.length ? body + size : buf.length;
      const samples = new Float64Array(Math.floor((end - body) / 2));
      for (let i = 0; i < samples.length; i++) samples[i] = buf.readInt16LE(body + i * 2) / 32768;
      if (!rate) throw new Error(`${file}: data before fmt`);
      return { rate, samples };
    }
    off = body + size + (size % 2);
  }
  throw new Error(`${file}: no data chunk`);
}

/**
 * Share of a block's energy at one frequency (Goertzel): about 1 for a pure tone at `hz`,
 * about 0 for silence, noise or another tone.
 */
export function toneShare(block: Float64Array, rate: number, hz: number): number {
  const w = (2 * Math.PI * hz) / rate;
  const c = 2 * Math.cos(w);
  let s1 = 0;
  let s2 = 0;
  let energy = 0;
  for (const x of block) {
    const s = x + c * s1 - s2;
    s2 = s1;
    s1 = s;
    energy += x * x;
  }
  if (energy === 0) return 0;
  const power = s1 * s1 + s2 * s2 - c * s1 * s2;
  return power / ((block.length * energy) / 2);
}

/** How many 100 ms blocks of a recording are dominated by the tone at `hz`. */
export function blocksWithTone(pcm: Pcm, hz: number, minShare = 0.8): { blocks: number; total: number } {
  const n = Math.round(pcm.rate / 10);
  let blocks = 0;
  let total = 0;
  for (let off = 0; off + n <= pcm.samples.length; off += n) {
    total++;
    if (toneShare(pcm.samples.subarray(off, off + n), pcm.rate, hz) >= minShare) blocks++;
  }
  return { blocks, total };
}
