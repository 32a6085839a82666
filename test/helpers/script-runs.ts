import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The checkout's root: child processes run where `npm start` runs. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Run {
  child: ChildProcess;
  /** stdout and stderr so far */
  output: () => string;
  exited: Promise<number | null>;
}

/** Child processes of a test file, started like `npm start` / `npm run engine` and killed by `killAll`. */
export class ScriptRuns {
  private readonly children: ChildProcess[] = [];

  start(script: string, args: string[], env: Record<string, string> = {}): Run {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.children.push(child);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    return { child, output: () => out, exited };
  }

  killAll(): void {
    for (const c of this.children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  }
}
