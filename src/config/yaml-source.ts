import { LineCounter, isScalar, parseDocument, visit, type Document } from 'yaml';
import type { KeyPath } from './errors.js';
import { ERRORS, errorMessage } from '../lib/errors.js';

export interface YamlSource {
  readonly data: unknown;
  /** 1-based line of the node at `path`, or of its nearest existing parent. */
  lineOf(path: KeyPath): number | undefined;
}

export class YamlSyntaxError extends Error {
  readonly code = ERRORS.CONFIG_YAML_SYNTAX.code;
  constructor(
    readonly problem: string,
    readonly line: number | undefined,
  ) {
    super(errorMessage('CONFIG_YAML_SYNTAX', { problem }));
    this.name = 'YamlSyntaxError';
  }
}

/**
 * Parses YAML keeping every plain number as the text written: a dial string such as `+1`, `0100`
 * or `011` must not become a number. Numeric settings convert back in the schema.
 */
export function readYaml(text: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const first = doc.errors[0];
  if (first !== undefined) {
    const line = first.linePos?.[0]?.line;
    throw new YamlSyntaxError(`YAML syntax error${line !== undefined ? ` at line ${line}` : ''}: ${first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`, line);
  }
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'number' && node.type === 'PLAIN' && node.range !== undefined && node.range !== null) {
        node.value = text.slice(node.range[0], node.range[1]).trim();
      }
    },
  });
  return { data: doc.toJS({ maxAliasCount: 100 }) as unknown, lineOf: (path) => lineOf(doc, lineCounter, path) };
}

function lineOf(doc: Document, counter: LineCounter, path: KeyPath): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true);
    if (node !== undefined && node !== null && typeof node === 'object' && 'range' in node) {
      const range = (node as { range?: [number, number, number] | null }).range;
      if (range) return counter.linePos(range[0]).line;
    }
    if (isScalar(node) && node.range) return counter.linePos(node.range[0]).line;
  }
  return undefined;
}
