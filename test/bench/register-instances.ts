// Benchmark: several application instances on one engine (issue 16). The engine runs alone
// (`npm run engine`), N product instances connect to it in external mode and share a real
// redis-server; the engine spreads REGISTERs over them round robin. For N = 1 and N = 2: the
// highest clean REGISTER rate (0 failures, 0 retransmissions) and the CPU per 1000 registrations
// of engine + instances. Run alone: `npx tsx test/bench/register-instances.ts [--short]`.
// Loopback addresses: engine SIP 127.0.0.128:5060, wire 127.0.0.128:9040; SIPp 127.0.0.110.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedisServer } from '../helpers/redis-server.js';
import { benchConfig, ProductChild, round, runLoad } from './register.js';
import { runIfMain } from './run-if-main.js';

const ENGINE_HOST = '127.0.0.128';
const WIRE_PORT = 9040;
const TICK_US = 1e6 / 100; // /proc/<pid>/stat counts in clock ticks (USER_HZ = 100)

function processCpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * TICK_US;
}

async function startEngine(): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/engine/cli.ts', '--contact', `sip:${ENGINE_HOST}:5060;transport=udp`, '--address', ENGINE_HOST, '--port', String(WIRE_PORT), '--secret', 'cymru', '--loglevel', 'warn'],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const deadline = Date.now() + 20_000;
  // the engine is ready when its wire port accepts connections
  const { connect } = await import('node:net');
  for (;;) {
    const ok = await new Promise<boolean>((res) => {
      const s = connect(WIRE_PORT, ENGINE_HOST, () => {
        s.destroy();
        res(true);
      });
      s.on('error', () => res(false));
    });
    if (ok) return child;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('engine did not start');
    await new Promise((r) => setTimeout(r, 200));
  }
}

interface Step {
  rate: number;
  clean: boolean;
  cpuMsPer1000: number;
  p99ms: number;
}

async function ramp(instances: ProductChild[], engine: ChildProcess, dir: string, rates: readonly number[], seconds: number): Promise<Step[]> {
  const target = `${ENGINE_HOST}:5060`;
  await runLoad(dir, target, 500, 2); // warm-up (JIT on every instance), not reported
  const cpu = async (): Promise<number> => (await Promise.all(instances.map((p) => p.cpuMicros()))).reduce((a, b) => a + b, 0) + processCpuMicros(engine.pid!);
  const steps: Step[] = [];
  for (const rate of rates) {
    const c0 = await cpu();
    const r = await runLoad(dir, target, rate, seconds);
    const c1 = await cpu();
    const clean = r.code === 0 && r.failed === 0 && r.retransmissions === 0 && r.successful === rate * seconds;
    steps.push({ rate, clean, cpuMsPer1000: round((c1 - c0) / 1000 / (Math.max(1, r.successful) / 1000)), p99ms: round(r.p99ms) });
    if (!clean) break;
  }
  return steps;
}

export async function benchRegisterInstances(opts: { short: boolean }): Promise<{ name: string; figures: Record<string, number | string> }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-instances-'));
  const configFile = benchConfig(dir);
  const rates = opts.short ? [500, 1000] : [1000, 1500, 2000, 2500, 3000, 3500, 4000, 4500, 5000];
  const seconds = opts.short ? 2 : 10;
  const figures: Record<string, number | string> = {};
  const best: number[] = [];
  for (const n of [1, 2]) {
    const redis = await startRedisServer();
    const engine = await startEngine();
    const instances: ProductChild[] = [];
    try {
      // each instance's own SIP listen point is unused (the engine owns the SIP side); distinct hosts keep them apart
      for (let i = 0; i < n; i++) instances.push(await ProductChild.start(`127.0.0.${129 + i}`, configFile, false, redis.url, `${ENGINE_HOST}:${WIRE_PORT}`));
      const steps = await ramp(instances, engine, dir, rates, seconds);
      const top = steps.filter((s) => s.clean).at(-1);
      best.push(top?.rate ?? 0);
      figures[`${n} instance(s): highest clean rate (reg/s)`] = top?.rate ?? 0;
      figures[`${n} instance(s): CPU per 1000 registrations at that rate, engine + instances (ms)`] = top?.cpuMsPer1000 ?? 'n/a';
      figures[`${n} instance(s): steps (rate: clean, cpu ms/1000, p99 ms)`] = steps.map((s) => `${s.rate}: ${s.clean ? 'clean' : 'not clean'}, ${s.cpuMsPer1000}, ${s.p99ms}`).join('; ');
    } finally {
      await Promise.all(instances.map((p) => p.stop()));
      engine.kill('SIGTERM');
      await redis.stop();
    }
  }
  figures['rate gained by the second instance (%)'] = best[0] ? Math.round(((best[1]! - best[0]) / best[0]) * 100) : 'n/a';
  return { name: `REGISTER through one engine and 1 or 2 app instances on Redis (${seconds} s per rate)`, figures };
}

runIfMain(import.meta.url, benchRegisterInstances);
