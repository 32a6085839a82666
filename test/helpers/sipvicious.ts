import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * SIPVicious 0.3.3 (Debian `sipvicious`). svwar and svcrack parse `-b/--bindingip` but never pass
 * it on (svmap does), so they bind every interface and send from whatever address the kernel
 * picks (127.0.0.1 on loopback). This launcher runs the packaged tool with the binding address
 * handed to its scanner class, the one thing the tool's own `-b` was meant to do.
 */
const LAUNCHER = `
import importlib, os, sys
sys.path.insert(0, '/usr/share/sipvicious')
tool = sys.argv[1]
mod = importlib.import_module('sipvicious.' + tool)
cls = mod.TakeASip if tool == 'svwar' else mod.ASipOfRedWine
bind = os.environ['SIPVICIOUS_BIND']
init = cls.__init__
def bound_init(self, *args, **kwargs):
    kwargs['bindingip'] = bind
    init(self, *args, **kwargs)
cls.__init__ = bound_init
sys.argv = [tool] + sys.argv[2:]
sys.exit(mod.main())
`;

let launcher: string | undefined;
function launcherFile(): string {
  if (!launcher) {
    launcher = join(mkdtempSync(join(tmpdir(), 'sipvicious-')), 'bound.py');
    writeFileSync(launcher, LAUNCHER);
  }
  return launcher;
}

export interface SipviciousRun {
  /** stdout + stderr (the tools log to stderr, print their result table to stdout) */
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>;
  /** what the tool has printed so far */
  output(): string;
  kill(): void;
}

/** Runs `svwar` or `svcrack` from `bindIp` (port 5060 there or the next free one), killed after `timeoutMs`. */
export function runSipvicious(tool: 'svwar' | 'svcrack', bindIp: string, args: string[], timeoutMs: number): SipviciousRun {
  const child = spawn('/usr/bin/python3', [launcherFile(), tool, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SIPVICIOUS_BIND: bindIp, PYTHONUNBUFFERED: '1' },
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const kill = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  const timer = setTimeout(kill, timeoutMs);
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((resolve) => {
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output });
    });
  });
  return { done, output: () => output, kill };
}
