import { readFile, stat } from 'node:fs/promises';
import { decodeWav, type DecodedAudio } from './wav.js';

const MAX_ENTRIES = 64;
const cache = new Map<string, Promise<DecodedAudio>>();

/** Loads (asynchronously) and decodes a WAV, shared by every channel playing it; keyed by path+mtime+size. */
export async function loadAudio(path: string): Promise<DecodedAudio> {
  const st = await stat(path);
  const key = `${path}|${st.mtimeMs}|${st.size}`;
  let p = cache.get(key);
  if (!p) {
    p = readFile(path).then(decodeWav);
    p.catch(() => cache.delete(key));
    cache.set(key, p);
    if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  }
  return p;
}
