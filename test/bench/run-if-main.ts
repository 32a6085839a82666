import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface BenchResult {
  name: string;
  figures: Record<string, number | string>;
}

/** Lets every bench module run alone (`npx tsx test/bench/x.ts [--short]`) as well as from run.ts. */
export function runIfMain(moduleUrl: string, bench: (opts: { short: boolean }) => Promise<BenchResult>): void {
  const entry = process.argv[1];
  if (!entry || realpathSync(entry) !== fileURLToPath(moduleUrl)) return;
  bench({ short: process.argv.includes('--short') }).then(
    (r) => {
      console.log(r.name);
      for (const [k, v] of Object.entries(r.figures)) console.log(`  ${k}: ${typeof v === 'number' ? v.toLocaleString('en-US') : v}`);
      process.exit(0);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
