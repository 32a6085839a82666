import pino, { type Logger } from 'pino';

export interface LogLine {
  level: number;
  msg?: string;
  [field: string]: unknown;
}

/** A pino logger whose JSON lines are kept for assertions. */
export function capturingLogger(level = 'debug'): { log: Logger; lines: () => LogLine[] } {
  const out: string[] = [];
  const log = pino({ level }, { write: (s: string) => void out.push(s) });
  return { log, lines: () => out.map((s) => JSON.parse(s) as LogLine) };
}
