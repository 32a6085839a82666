import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const SCENARIOS = resolve(process.cwd(), 'sipp-scenarios');

export interface SippOptions {
  /** built-in scenario name (uac, uas) or a path to an XML scenario */
  scenario: string;
  /** remote host:port (omit for a pure UAS) */
  target?: string;
  ip: string;
  port: number;
  transport?: 'udp' | 'tcp';
  calls?: number;
  rate?: number;
  /** -d: pause length in ms for built-in scenarios */
  durationMs?: number;
  timeoutSec?: number;
  lost?: number;
  injectionFile?: string;
  extra?: string[];
  /** -key name value pairs */
  keys?: Record<string, string>;
  /** files written into SIPp's working directory first (e.g. a pcap a scenario plays by relative name) */
  files?: Record<string, Buffer>;
}

export interface SippResult {
  code: number | null;
  successful: number;
  failed: number;
  stderr: string;
  errors: string;
}

/** Runs one bounded SIPp process on a loopback address and reports its counts. */
export function runSipp(o: SippOptions): { done: Promise<SippResult>; kill: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'sipp-'));
  for (const [name, content] of Object.entries(o.files ?? {})) writeFileSync(join(dir, name), content);
  const args: string[] = [];
  if (o.scenario === 'uac' || o.scenario === 'uas') args.push('-sn', o.scenario);
  else args.push('-sf', o.scenario.startsWith('/') ? o.scenario : join(SCENARIOS, o.scenario));
  if (o.target) args.push(o.target);
  args.push('-i', o.ip, '-p', String(o.port), '-nostdin', '-m', String(o.calls ?? 1));
  args.push('-timeout', `${o.timeoutSec ?? 30}s`, '-trace_stat', '-stf', join(dir, 'stat.csv'), '-trace_err', '-fd', '1');
  if (o.transport === 'tcp') args.push('-t', 't1');
  if (o.rate) args.push('-r', String(o.rate));
  if (o.durationMs !== undefined) args.push('-d', String(o.durationMs));
  if (o.lost) args.push('-lost', String(o.lost));
  if (o.injectionFile) args.push('-inf', o.injectionFile.startsWith('/') ? o.injectionFile : join(SCENARIOS, o.injectionFile));
  for (const [k, v] of Object.entries(o.keys ?? {})) args.push('-key', k, v);
  args.push(...(o.extra ?? []));
  const child = spawn('sipp', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<SippResult>((resolveDone) => {
    child.on('error', (e) => {
      resolveDone({ code: null, successful: 0, failed: 0, stderr: `cannot run sipp: ${e.message} (npm run test:setup installs it)`, errors: '' });
    });
    child.on('close', (code) => {
      const { successful, failed } = readStats(join(dir, 'stat.csv'));
      const errFile = readdirSync(dir).find((f) => f.endsWith('_errors.log'));
      const errors = errFile ? readFileSync(join(dir, errFile), 'utf8').slice(0, 4000) : '';
      resolveDone({ code, successful, failed, stderr, errors });
    });
  });
  return { done, kill: () => child.kill('SIGKILL') };
}

function readStats(file: string): { successful: number; failed: number } {
  try {
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    const head = lines[0]!.split(';');
    const last = lines[lines.length - 1]!.split(';');
    const col = (name: string): number => Number(last[head.indexOf(name)] ?? 0);
    return { successful: col('SuccessfulCall(C)'), failed: col('FailedCall(C)') };
  } catch {
    return { successful: 0, failed: 0 };
  }
}

/** Waits until a UAS SIPp is listening (it binds at start); a short fixed delay is enough. */
export const sippStartDelay = (): Promise<void> => new Promise((r) => setTimeout(r, 300));
