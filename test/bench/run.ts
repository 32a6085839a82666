// `npm run bench [-- --short] [-- --profile] [-- --only=b2bua,proxy,options]`: micro benches from the team,
// then SIPp-driven engine scenarios at increasing rates, then one summary table.
import { benchDialplan } from './dialplan.js';
import { benchRegistrarCore } from './registrar-core.js';
import { benchSipParse } from './sip-parse.js';
import { runEngineScenarios, type Mode } from './engine-scenarios.js';
import { benchRegister } from './register.js';
import { benchRegisterInstances } from './register-instances.js';
import { benchCalls } from './calls.js';
import { benchMedia } from './media.js';

const args = process.argv.slice(2);
const short = args.includes('--short');
const profile = args.includes('--profile');
const only = args
  .find((a) => a.startsWith('--only='))
  ?.slice(7)
  .split(',') as Mode[] | undefined;
const TARGETS: Record<Mode, number> = { b2bua: 500, proxy: 1000, options: 5000 };

type Bench = (opts: { short: boolean }) => Promise<{ name: string; figures: Record<string, number | string> }>;

/** Runs benches one after the other; one that fails is reported and the others still run. */
async function runEach(benches: Bench[], short: boolean, out: Array<{ name: string; figures: Record<string, number | string> }>): Promise<void> {
  for (const b of benches) {
    try {
      const r = await b({ short });
      out.push(r);
      console.log(`${r.name}: ${JSON.stringify(r.figures)}`);
    } catch (err) {
      console.log(`${b.name} failed: ${(err as Error).message}`);
    }
  }
}

async function main(): Promise<void> {
  console.log(`bench (${short ? 'short' : 'full'} mode)`);
  const micro: Array<{ name: string; figures: Record<string, number | string> }> = [];
  if (!only) {
    await runEach([benchSipParse, benchDialplan, benchRegistrarCore], short, micro);
  }
  const results = await runEngineScenarios({ short, profile, modes: only, log: (l) => console.log(l) });
  if (!only) {
    // product-level load: REGISTER with digest auth (memory and Redis; 1 and 2 app instances on one engine), calls with auth + CoS
    await runEach([benchRegister, benchRegisterInstances, benchCalls, benchMedia], short, micro);
  }
  console.log('\nsummary');
  for (const m of micro)
    console.log(
      `  ${m.name.padEnd(28)} ${Object.entries(m.figures)
        .map(([k, v]) => `${k}=${v}`)
        .join('  ')}`,
    );
  console.log('  scenario  best rate (0 failed)  target  p50 ms  p99 ms  engine CPU ms/1000  heap KB/1000  gauges after');
  for (const r of results) {
    const b = r.best;
    const g = r.gaugesAfter ? `tx=${r.gaugesAfter.transactions} dlg=${r.gaugesAfter.dialogs} proxy=${r.gaugesAfter.proxyContexts}` : '-';
    console.log(
      `  ${r.mode.padEnd(8)}  ${String(b?.rate ?? 0).padStart(19)}/s  ${String(TARGETS[r.mode]).padStart(6)}  ${String(b?.p50ms ?? '-').padStart(6)}  ${String(b?.p99ms ?? '-').padStart(6)}  ${String(b?.cpuMsPer1000 ?? '-').padStart(18)}  ${String(b?.heapKBPer1000 ?? '-').padStart(12)}  ${g}`,
    );
    if (r.profile) {
      console.log(`    CPU profile (${r.mode}), top functions by self time:`);
      for (const f of r.profile) console.log(`      ${String(f.selfPct).padStart(5)}%  ${f.fn}`);
    }
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
