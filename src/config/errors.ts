import { ERRORS, errorMessage } from '../lib/errors.js';

/** A path into the configuration document: `['tenants', 'demo', 'cos', 'default', 'outgoingLines', 2]`. */
export type KeyPath = readonly (string | number)[];

/** `tenants.demo.cos.default.outgoingLines[2]`; keys that are not plain words are quoted: `lines["011X."]`. */
export function formatKeyPath(path: KeyPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z0-9_*#+-]+$/.test(seg) && seg.length > 0) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

export interface ConfigProblem {
  readonly key: string;
  readonly problem: string;
  /** 1-based line in the file, when known. */
  readonly line?: number;
}

/** The configuration file is invalid. The message reads `FILE: KEY.PATH: PROBLEM`. */
export class ConfigError extends Error {
  readonly code = ERRORS.CONFIG_INVALID.code;
  readonly file: string;
  readonly key: string;
  readonly problem: string;
  readonly line?: number;
  /** Every problem found (the first one is also in file/key/problem). */
  readonly problems: readonly ConfigProblem[];

  constructor(file: string, problems: readonly [ConfigProblem, ...ConfigProblem[]]) {
    const first = problems[0];
    super(errorMessage('CONFIG_INVALID', { problems: problems.map((p) => describe(file, p)).join('\n') }));
    this.name = 'ConfigError';
    this.file = file;
    this.key = first.key;
    this.problem = first.problem;
    if (first.line !== undefined) this.line = first.line;
    this.problems = problems;
  }
}

function describe(file: string, p: ConfigProblem): string {
  return p.key === '' ? `${file}: ${p.problem}` : `${file}: ${p.key}: ${p.problem}`;
}

/** Something legal but probably wrong or dangerous (shadowed line, premium numbers allowed...). */
export interface ConfigWarning {
  readonly file: string;
  readonly key: string;
  readonly problem: string;
  readonly kind: 'shadowed-line' | 'risky' | 'unknown-section';
}

export function formatWarning(w: ConfigWarning): string {
  return `${w.file}: ${w.key}: ${w.problem}`;
}

/** Thrown inside the loader with a key path; the loader adds the file name and line. */
export class ConfigProblemAt extends Error {
  readonly code = ERRORS.CONFIG_PROBLEM.code;
  constructor(
    readonly path: KeyPath,
    readonly problem: string,
  ) {
    super(errorMessage('CONFIG_PROBLEM', { key: formatKeyPath(path), problem }));
    this.name = 'ConfigProblemAt';
  }
}

export function fail(path: KeyPath, problem: string): never {
  throw new ConfigProblemAt(path, problem);
}
