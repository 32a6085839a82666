// Loads the RFC 4475 torture messages as raw bytes (the RFC's own test data, kept byte-exact in
// test/vectors/rfc4475; .gitattributes there stops git from touching line endings).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const VECTOR_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'vectors', 'rfc4475');

export interface VectorEntry {
  file: string;
  section: string;
  title: string;
  class: string;
  expect: string;
}

export const VECTORS: VectorEntry[] = JSON.parse(readFileSync(path.join(VECTOR_DIR, 'index.json'), 'utf8')) as VectorEntry[];

export function vector(file: string): Buffer {
  return readFileSync(path.join(VECTOR_DIR, file.endsWith('.dat') ? file : `${file}.dat`));
}
