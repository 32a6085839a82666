// SIPp-driven engine load scenarios: B2BUA calls, proxied calls, OPTIONS. The engine and its srf app run
// in a child process (test/bench/engine-app-process.ts) whose own cpuUsage() gives the CPU figures.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { EngineStats } from '../../src/engine/core/gauges.js';
import { topFunctions } from './profile-summary.js';

const ENGINE_IP = '127.0.0.15';
const UAC_IP = '127.0.0.70';
const UAS_IP = '127.0.0.71';
const SCENARIOS = resolve('sipp-scenarios/bench');

export type Mode = 'b2bua' | 'proxy' | 'options';
export interface StepResult {
  rate: number;
  calls: number;
  failed: number;
  p50ms: number;
  p99ms: number;
  cpuMsPer1000: number;
  heapKBPer1000: number;
}
export interface ScenarioResult {
  mode: Mode;
  steps: StepResult[];
  best: StepResult | undefined;
  gaugesAfter: EngineStats | undefined;
  profile?: Array<{ fn: string; selfPct: number }>;
}
export interface EngineBenchOptions {
  short: boolean;
  modes?: Mode[];
  profile?: boolean;
  log?: (line: string) => void;
}

interface ChildStats {
  cpu: NodeJS.CpuUsage;
  mem: NodeJS.MemoryUsage;
  gauges: EngineStats | undefined;
}

const LADDERS: Record<Mode, { short: number[]; full: number[] }> = {
  b2bua: { short: [50, 100], full: [100, 250, 500, 750, 1000, 1500] },
  proxy: { short: [100, 200], full: [250, 500, 1000, 1500, 2000, 3000] },
  options: { short: [200, 500], full: [1000, 2500, 5000, 7500, 10000, 15000] },
};
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

class EngineChild {
  private pending: ((m: ChildStats) => void) | undefined;
  private constructor(readonly proc: ChildProcess) {
    proc.on('message', (m: ChildStats & { ready?: boolean }) => {
      if (!m.ready && this.pending) this.pending(m);
    });
  }

  static async start(mode: Mode, t1: number, profileDir: string | undefined): Promise<EngineChild> {
    const execArgv = ['--import', 'tsx', ...(profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [])];
    const proc = fork(resolve('test/bench/engine-app-process.ts'), [mode, ENGINE_IP, `sip:uas@${UAS_IP}:5060`, String(t1)], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    await new Promise<void>((ok, fail) => {
      proc.once('message', () => ok());
      proc.once('exit', (code) => fail(new Error(`engine child exited with ${code}`)));
    });
    return new EngineChild(proc);
  }

  stats(): Promise<ChildStats> {
    return new Promise((ok) => {
      this.pending = ok;
      this.proc.send({ cmd: 'stats' });
    });
  }

  async stop(): Promise<void> {
    const exited = new Promise<void>((ok) => this.proc.once('exit', () => ok()));
    this.proc.send({ cmd: 'stop' });
    await Promise.race([exited, sleep(10_000)]);
    if (this.proc.exitCode === null) this.proc.kill('SIGKILL');
  }
}

function sipp(args: string[], cwd: string): { done: Promise<number | null>; kill(): void } {
  const p = spawn('sipp', args, { cwd, stdio: 'ignore' });
  return { done: new Promise((ok) => p.on('close', (code) => ok(code))), kill: () => p.kill('SIGKILL') };
}

function readCounts(dir: string): { ok: number; failed: number } {
  const file = readdirSync(dir).find((f) => f.endsWith('.csv') && !f.includes('_rtt'));
  if (!file) return { ok: 0, failed: 0 };
  const lines = readFileSync(join(dir, file), 'utf8').trim().split('\n');
  const head = (lines[0] ?? '').split(';');
  const last = (lines[lines.length - 1] ?? '').split(';');
  const col = (n: string): number => Number(last[head.indexOf(n)] ?? 0);
  return { ok: col('SuccessfulCall(C)'), failed: col('FailedCall(C)') };
}

function readRtts(dir: string): number[] {
  const file = readdirSync(dir).find((f) => f.endsWith('_rtt.csv'));
  if (!file) return [];
  return readFileSync(join(dir, file), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => Number(l.split(';')[1]))
    .filter((n) => Number.isFinite(n))
    .sort((a, b) => a - b);
}

const pct = (sorted: number[], p: number): number => (sorted.length ? (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number) : NaN);

async function step(child: EngineChild, mode: Mode, rate: number, seconds: number): Promise<StepResult> {
  const calls = Math.max(10, Math.round(rate * seconds));
  const dir = mkdtempSync(join(tmpdir(), `bench-${mode}-`));
  const timeout = `${seconds + 20}s`;
  const uas =
    mode === 'options'
      ? undefined
      : sipp(['-sf', join(SCENARIOS, 'uas-answer-echo-record-route.xml'), '-i', UAS_IP, '-p', '5060', '-nostdin', '-m', String(calls), '-timeout', timeout], mkdtempSync(join(tmpdir(), 'bench-uas-')));
  if (uas) await sleep(300);
  const before = await child.stats();
  const scenario = mode === 'options' ? 'uac-options-answered.xml' : 'uac-call-answered-hang-up-at-once.xml';
  const uac = sipp(
    [
      '-sf',
      join(SCENARIOS, scenario),
      `${ENGINE_IP}:5060`,
      '-i',
      UAC_IP,
      '-p',
      '5060',
      '-nostdin',
      '-m',
      String(calls),
      '-r',
      String(rate),
      '-rp',
      '1000',
      '-l',
      String(rate * 4),
      '-timeout',
      timeout,
      '-s',
      'bench',
      '-trace_stat',
      '-fd',
      '1',
      '-trace_rtt',
      '-rtt_freq',
      '1',
    ],
    dir,
  );
  await uac.done;
  const after = await child.stats();
  if (uas) {
    await Promise.race([uas.done, sleep(2000)]);
    uas.kill();
  }
  const { ok } = readCounts(dir);
  const rtts = readRtts(dir);
  const cpuMs = (after.cpu.user + after.cpu.system - before.cpu.user - before.cpu.system) / 1000;
  const heapKB = (after.mem.heapUsed - before.mem.heapUsed) / 1024;
  return {
    rate,
    calls,
    failed: calls - ok,
    p50ms: pct(rtts, 50),
    p99ms: pct(rtts, 99),
    cpuMsPer1000: Math.round((cpuMs * 1000) / calls),
    heapKBPer1000: Math.round((heapKB * 1000) / calls),
  };
}

export async function runEngineScenarios(o: EngineBenchOptions): Promise<ScenarioResult[]> {
  const log = o.log ?? (() => undefined);
  const results: ScenarioResult[] = [];
  for (const mode of o.modes ?? (['b2bua', 'proxy', 'options'] as Mode[])) {
    const profileDir = o.profile ? mkdtempSync(join(tmpdir(), `prof-${mode}-`)) : undefined;
    const child = await EngineChild.start(mode, o.short ? 50 : 500, profileDir);
    const steps: StepResult[] = [];
    try {
      for (const rate of o.short ? LADDERS[mode].short : LADDERS[mode].full) {
        const s = await step(child, mode, rate, o.short ? 2 : 6);
        steps.push(s);
        log(
          `${mode.padEnd(8)} rate ${String(rate).padStart(6)}/s  calls ${s.calls}  failed ${s.failed}  p50 ${s.p50ms} ms  p99 ${s.p99ms} ms  cpu ${s.cpuMsPer1000} ms/1000  heap ${s.heapKBPer1000} KB/1000`,
        );
        if (s.failed > 0 && !o.short) break;
        await sleep(o.short ? 500 : 2000);
      }
      const deadline = Date.now() + (o.short ? 20_000 : 5_000);
      let g = (await child.stats()).gauges;
      while (g && (g.transactions || g.dialogs || g.proxyContexts || g.pendingAppRequests) && Date.now() < deadline) {
        await sleep(200);
        g = (await child.stats()).gauges;
      }
      // a rate only counts when nothing failed and setup stays sane (SIPp retransmits rather than fails when we lag)
      const best = steps.filter((s) => s.failed === 0 && s.p99ms < 500).sort((a, b) => b.rate - a.rate)[0];
      results.push({ mode, steps, best, gaugesAfter: g });
    } finally {
      await child.stop();
    }
    if (profileDir) {
      const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
      const r = results[results.length - 1];
      if (file && r) r.profile = topFunctions(join(profileDir, file));
    }
  }
  return results;
}
