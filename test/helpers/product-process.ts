import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// `npm start` (src/main.ts) as a child process, its output collected.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ProductProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  /** waits until the output contains `text` (or throws with the output) */
  waitFor: (text: string | RegExp, ms?: number) => Promise<void>;
}

export function startProductProcess(configFile: string): ProductProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, CONFIG_FILE: configFile, LOG_FORMAT: 'json' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor = async (text: string | RegExp, ms = 20_000): Promise<void> => {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (typeof text === 'string' ? out.includes(text) : text.test(out)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no "${String(text)}" in the output:\n${out}`);
  };
  return { child, output: () => out, exited, waitFor };
}
