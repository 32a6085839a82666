/**
 * Calls per second through the whole product (engine + app in this process, SIPp as phones and
 * SBC): extension → extension (both registered) and extension → SBC (outgoing line with number
 * manipulation). Every call is challenged (407) and authenticated, and gets the CoS decision.
 * Rates increase until a step has a failed call; reported: the highest rate with zero failures,
 * p99 setup time (SIPp: first INVITE → 200, challenge round trip included) and our CPU per
 * 1,000 calls. Run alone with `npx tsx test/bench/calls.ts [--short]`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gaugesSettled, startProduct, type Product } from '../helpers/product-harness.js';
import { callsConfig, deviceRow, PRIMARY, SBC_PORT } from '../integration/calls-config.js';
import { runIfMain } from './run-if-main.js';

const SCENARIOS = resolve(process.cwd(), 'sipp-scenarios');
const ENGINE_IP = '127.0.0.206';
const CALLEE_IP = '127.0.0.190';
const CALLER_IP = '127.0.0.191';

interface SippRun {
  code: number | null;
  successful: number;
  failed: number;
  rttMs: number[];
  /** First lines of SIPp's error log, to tell overload (timeouts) from protocol errors. */
  errors: string;
}

function sipp(args: string[], timeoutSec: number): Promise<SippRun> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-calls-'));
  const all = [...args, '-nostdin', '-timeout', `${timeoutSec}s`, '-trace_stat', '-stf', join(dir, 'stat.csv'), '-fd', '1', '-trace_rtt', '-rtt_freq', '1', '-trace_err'];
  return new Promise((resolveRun) => {
    const child = spawn('sipp', all, { cwd: dir, stdio: 'ignore' });
    child.on('close', (code) => {
      let successful = 0;
      let failed = 0;
      try {
        const lines = readFileSync(join(dir, 'stat.csv'), 'utf8').trim().split('\n');
        const head = lines[0]!.split(';');
        const last = lines[lines.length - 1]!.split(';');
        successful = Number(last[head.indexOf('SuccessfulCall(C)')] ?? 0);
        failed = Number(last[head.indexOf('FailedCall(C)')] ?? 0);
      } catch {
        // no statistics: counted as all failed below
      }
      const rttMs: number[] = [];
      const rtt = readdirSync(dir).find((f) => f.endsWith('_rtt.csv'));
      if (rtt) {
        for (const line of readFileSync(join(dir, rtt), 'utf8').trim().split('\n').slice(1)) {
          const v = Number(line.split(';')[1]);
          if (Number.isFinite(v)) rttMs.push(v);
        }
      }
      const errFile = readdirSync(dir).find((f) => f.endsWith('_errors.log'));
      const errors = errFile
        ? readFileSync(join(dir, errFile), 'utf8')
            .split('\n')
            .filter((l) => l.trim() !== '')
            .slice(0, 3)
            .join(' | ')
            .slice(0, 300)
        : '';
      resolveRun({ code, successful, failed, rttMs, errors });
    });
  });
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

interface Step {
  rate: number;
  calls: number;
  failed: number;
  p99SetupMs: number;
  cpuMsPer1000: number;
  errors: string;
}

async function runStep(product: Product, callee: { ip: string; port: number }, dialled: string, inf: string, rate: number, seconds: number): Promise<Step> {
  const calls = rate * seconds;
  const uas = sipp(['-sn', 'uas', '-i', callee.ip, '-p', String(callee.port), '-m', String(calls)], seconds + 30);
  await new Promise((r) => setTimeout(r, 300));
  const cpu0 = process.cpuUsage();
  const uac = await sipp(
    [
      '-sf',
      join(SCENARIOS, 'calls/device-call-answered-then-hang-up.xml'),
      product.target,
      '-i',
      CALLER_IP,
      '-p',
      '5060',
      '-inf',
      inf,
      '-s',
      dialled,
      '-m',
      String(calls),
      '-r',
      String(rate),
      '-rp',
      '1000',
      '-l',
      String(rate * 3),
    ],
    seconds + 25,
  );
  const cpu = process.cpuUsage(cpu0);
  const server = await uas;
  await gaugesSettled(product.engine, 20_000);
  // a call counts as failed when the caller did not complete it or the callee side did not see it through
  const failed = Math.max(calls - uac.successful, uac.failed, calls - server.successful);
  return { rate, calls, failed, p99SetupMs: percentile(uac.rttMs, 99), cpuMsPer1000: ((cpu.user + cpu.system) / 1000 / calls) * 1000, errors: uac.errors || server.errors };
}

async function ladder(product: Product, label: string, callee: { ip: string; port: number }, dialled: string, inf: string, rates: number[], seconds: number): Promise<Record<string, number | string>> {
  let best: Step | undefined;
  const steps: string[] = [];
  for (const rate of rates) {
    const s = await runStep(product, callee, dialled, inf, rate, seconds);
    steps.push(`${rate}/s:${s.failed === 0 ? 'ok' : `${s.failed} failed`} p99 ${s.p99SetupMs} ms`);
    if (s.failed > 0) {
      if (process.env.BENCH_VERBOSE) console.error(`${label} ${rate}/s: ${s.errors}`);
      break;
    }
    best = s;
  }
  return {
    [`${label} highest rate with zero failures (calls/s)`]: best?.rate ?? 0,
    [`${label} p99 setup at that rate (ms)`]: best?.p99SetupMs ?? 'n/a',
    [`${label} CPU per 1000 calls (ms)`]: best ? Math.round(best.cpuMsPer1000) : 'n/a',
    [`${label} steps`]: steps.join(', '),
  };
}

export async function benchCalls(opts: { short: boolean }): Promise<{ name: string; figures: Record<string, number | string> }> {
  const product = await startProduct({ sipHost: ENGINE_IP, configText: callsConfig({ firstResponseTimeoutMs: 3000 }), t1: 500 });
  try {
    const dir = mkdtempSync(join(tmpdir(), 'bench-calls-inf-'));
    const reg = join(dir, 'reg.csv');
    writeFileSync(reg, `SEQUENTIAL\n${deviceRow('101')}\n`);
    const r = await sipp(['-sf', join(SCENARIOS, 'registrar/register-md5.xml'), product.target, '-i', CALLEE_IP, '-p', '5060', '-inf', reg, '-m', '1'], 10);
    if (r.successful !== 1) throw new Error('bench: extension 101 could not register');
    const inf = join(dir, 'caller.csv');
    writeFileSync(inf, `SEQUENTIAL\n${deviceRow('100')}\n`);
    const fixed = process.env.BENCH_CALL_RATES?.split(',')
      .map(Number)
      .filter((n) => n > 0);
    const rates = fixed?.length ? fixed : opts.short ? [50, 100, 200] : [100, 200, 300, 400, 500, 600];
    const seconds = opts.short ? 2 : 5;
    const internal = await ladder(product, 'ext→ext', { ip: CALLEE_IP, port: 5060 }, '101', inf, rates, seconds);
    const outgoing = await ladder(product, 'ext→SBC', { ip: PRIMARY, port: SBC_PORT }, '19055551234', inf, rates, seconds);
    return { name: 'calls (B2BUA, digest auth + CoS on every call)', figures: { ...internal, ...outgoing } };
  } finally {
    await product.stop();
  }
}

runIfMain(import.meta.url, benchCalls);
