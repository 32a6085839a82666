// G.711 µ-law (PCMU) and A-law (PCMA), table driven: 64 K-entry encode tables indexed by the 16-bit
// sample, 256-entry decode tables. Built once at load from the ITU segment definitions.
export type Codec = 'PCMU' | 'PCMA';

function ulawEncode(sample: number): number {
  const BIAS = 0x84;
  let s = sample;
  const sign = s < 0 ? 0x80 : 0;
  if (s < 0) s = -s;
  if (s > 32635) s = 32635;
  s += BIAS;
  let exp = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exp > 0; mask >>= 1) exp--;
  const mant = (s >> (exp + 3)) & 0x0f;
  return ~(sign | (exp << 4) | mant) & 0xff;
}

function ulawDecode(u: number): number {
  const v = ~u & 0xff;
  const exp = (v >> 4) & 7;
  const s = ((((v & 0x0f) << 3) + 0x84) << exp) - 0x84;
  return v & 0x80 ? -s : s;
}

function alawEncode(sample: number): number {
  let pcm = sample >> 3;
  let mask: number;
  if (pcm >= 0) mask = 0xd5;
  else {
    mask = 0x55;
    pcm = -pcm - 1;
  }
  let seg = 0;
  while (seg < 8 && pcm >= 0x20 << seg) seg++;
  if (seg >= 8) return 0x7f ^ mask;
  const aval = (seg << 4) | ((seg < 2 ? pcm >> 1 : pcm >> seg) & 0x0f);
  return aval ^ mask;
}

function alawDecode(a: number): number {
  const v = a ^ 0x55;
  let t = (v & 0x0f) << 4;
  const seg = (v & 0x70) >> 4;
  if (seg === 0) t += 8;
  else {
    t += 0x108;
    if (seg > 1) t <<= seg - 1;
  }
  return v & 0x80 ? t : -t;
}

function encodeTable(f: (s: number) => number): Uint8Array {
  const t = new Uint8Array(65536);
  for (let i = 0; i < 65536; i++) t[i] = f(i < 32768 ? i : i - 65536);
  return t;
}

function decodeTable(f: (b: number) => number): Int16Array {
  const t = new Int16Array(256);
  for (let i = 0; i < 256; i++) t[i] = f(i);
  return t;
}

const ENC: Record<Codec, Uint8Array> = { PCMU: encodeTable(ulawEncode), PCMA: encodeTable(alawEncode) };
const DEC: Record<Codec, Int16Array> = { PCMU: decodeTable(ulawDecode), PCMA: decodeTable(alawDecode) };

export const PAYLOAD_TYPE: Record<Codec, number> = { PCMU: 0, PCMA: 8 };

/** Encodes `pcm` into `out` starting at `offset` (no allocation). */
export function encodeInto(codec: Codec, pcm: Int16Array, out: Uint8Array, offset: number): void {
  const t = ENC[codec];
  for (let i = 0; i < pcm.length; i++) out[offset + i] = t[pcm[i]! & 0xffff]!;
}

/** Decodes `len` bytes of `src` from `offset` into `pcm` (no allocation). */
export function decodeInto(codec: Codec, src: Uint8Array, offset: number, len: number, pcm: Int16Array): void {
  const t = DEC[codec];
  const n = Math.min(len, pcm.length);
  for (let i = 0; i < n; i++) pcm[i] = t[src[offset + i]!]!;
  for (let i = n; i < pcm.length; i++) pcm[i] = 0;
}
