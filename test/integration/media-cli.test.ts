import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import { RawEsl } from '../helpers/esl-client.js';

// `npm run media -- <flags>` (run here as tsx src/media/cli.ts): bad flags and bind failures exit
// non-zero with a clear message; good flags serve the event socket.
const IP = '127.1.12.7';

function runCli(args: string[], untilMs = 8000): { done: Promise<{ code: number | null; stderr: string }>; kill(): void } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/media/cli.ts', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const t = setTimeout(() => child.kill('SIGKILL'), untilMs);
  return {
    done: new Promise((r) => child.on('close', (code) => (clearTimeout(t), r({ code, stderr })))),
    kill: () => child.kill('SIGTERM'),
  };
}

describe('npm run media', () => {
  it('a bad flag exits 2 with the usage', async () => {
    const r = await runCli(['--esl-port', 'http']).done;
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/MEDIA_BAD_FLAG: --esl-port: "http" is not a port number[\s\S]*usage: npm run media/);
  });

  it('an event-socket port in use exits 1 with MEDIA_BIND_FAILED', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(8021, IP, () => r()));
    const r = await runCli(['--esl-address', IP, '--esl-port', '8021', '--sip', `${IP}:5080`, '--loglevel', 'silent']).done;
    blocker.close();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('MEDIA_BIND_FAILED');
  });

  it.runIf(process.getuid?.() === 0)('--realtime-priority 5 moves the server thread into SCHED_RR 5 (read from /proc)', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/media/cli.ts', '--esl-address', IP, '--esl-port', '8023', '--sip', `${IP}:5084`, '--realtime-priority', '5'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      for (let i = 0; i < 100 && !out.includes('SCHED_RR 5'); i++) await new Promise((r) => setTimeout(r, 100));
      const f = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
      const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
      // policy 2 = SCHED_RR, and its real-time priority
      expect([Number(fields[38]), Number(fields[37])]).toEqual([2, 5]);
      expect(out).toContain('media server thread runs in SCHED_RR 5');
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.on('close', r));
    }
  });

  it('serves the event socket with the given password and profile', async () => {
    const cli = runCli(['--esl-address', IP, '--esl-port', '8022', '--password', 's3cret', '--sip', `${IP}:5082`, '--profile', 'my_mrf', '--loglevel', 'silent'], 15000);
    let c: RawEsl | undefined;
    for (let i = 0; i < 100 && !c; i++) {
      c = await RawEsl.open(IP, 8022).catch(() => undefined);
      if (!c) await new Promise((r) => setTimeout(r, 100));
    }
    await c!.frame();
    c!.send('auth s3cret\n\napi sofia status\n\n');
    expect((await c!.frame()).headers['Reply-Text']).toBe('+OK accepted');
    expect((await c!.frame()).body).toMatch(new RegExp(`my_mrf\\tprofile\\t.*sip:mod_sofia@${IP.replace(/\./g, '\\.')}:5082`));
    c!.close();
    cli.kill();
    expect((await cli.done).code).toBe(0);
  });
});
