import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT, ScriptRuns, type Run } from '../helpers/script-runs.js';

// `npm run engine` and `npm start` as a newcomer runs them, as child processes. Addresses 127.0.0.18–19.
const runs = new ScriptRuns();

const start = (script: string, args: string[], env: Record<string, string> = {}): Run => runs.start(script, args, env);

async function waitFor(run: Run, text: string | RegExp, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const o = run.output();
    if (typeof text === 'string' ? o.includes(text) : text.test(o)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no "${String(text)}" in the output:\n${run.output()}`);
}

const ENGINE_ARGS = (wirePort: number) => ['--contact', 'sip:127.0.0.18:5060;transport=udp,tcp', '--port', String(wirePort), '--address', '127.0.0.1', '--secret', 'x', '--loglevel', 'info'];

afterEach(() => {
  runs.killAll();
});

describe('start commands', () => {
  it('npm run engine: a second copy on the same SIP address exits 1 with a message naming the address', async () => {
    const first = start('src/engine/cli.ts', ENGINE_ARGS(9781));
    await waitFor(first, /listening|wire/i);
    const second = start('src/engine/cli.ts', ENGINE_ARGS(9782));
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain('sip-engine: cannot listen on UDP 127.0.0.18:5060: the address is already in use');
    expect(second.output()).not.toMatch(/at .*node:/); // a sentence, not a stack trace
    expect(first.child.exitCode).toBeNull();
  });

  it('npm start: logs are pretty lines with LOG_FORMAT=pretty (what a terminal gets) and JSON lines when piped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'start-'));
    const file = join(dir, 'config.yaml');
    const shipped = readFileSync(join(ROOT, 'config/default.yaml'), 'utf8');
    const moved =
      shipped.replace('    - host: 127.0.0.1\n      port: 5060', '    - host: 127.0.0.19\n      port: 5060').replace('  port: 9022', '  port: 9783') + 'media:\n  embedded:\n    host: 127.0.0.19\n';
    expect(moved).not.toBe(shipped);
    writeFileSync(file, moved);
    const pretty = start('src/main.ts', [], { CONFIG_FILE: file, LOG_FORMAT: 'pretty' });
    await waitFor(pretty, 'application started');
    const line = pretty
      .output()
      .split('\n')
      .find((l) => l.includes('application started'))!;
    expect(line).toMatch(/^\S*\[\d\d:\d\d:\d\d\.\d{3}\]/);
    expect(() => JSON.parse(line)).toThrow();
    pretty.child.kill('SIGTERM');
    expect(await pretty.exited).toBe(0);

    const json = start('src/main.ts', [], { CONFIG_FILE: file });
    await waitFor(json, 'application started');
    const entry = json
      .output()
      .split('\n')
      .find((l) => l.includes('application started'))!;
    expect(JSON.parse(entry)).toMatchObject({ level: 30, msg: 'application started' });
    // a second copy on the same address: exit 1 with one sentence
    const second = start('src/main.ts', [], { CONFIG_FILE: file });
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain('sip-b2bua: the SIP engine did not start: cannot listen on');
    json.child.kill('SIGTERM');
    expect(await json.exited).toBe(0);
  });

  it('npm start: a media server port already taken ends the start with one sentence naming it (exit 1)', async () => {
    const dgram = await import('node:dgram');
    const squatter = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => squatter.bind(5080, '127.0.0.18', () => resolve()));
    try {
      const dir = mkdtempSync(join(tmpdir(), 'start-'));
      const file = join(dir, 'config.yaml');
      const shipped = readFileSync(join(ROOT, 'config/default.yaml'), 'utf8');
      writeFileSync(
        file,
        shipped.replace('    - host: 127.0.0.1\n      port: 5060', '    - host: 127.0.0.18\n      port: 5062').replace('  port: 9022', '  port: 9784') + 'media:\n  embedded:\n    host: 127.0.0.18\n',
      );
      const run = start('src/main.ts', [], { CONFIG_FILE: file });
      expect(await run.exited).toBe(1);
      expect(run.output()).toContain('sip-b2bua: the media server did not start: MEDIA_BIND_FAILED: SIP cannot listen on UDP 127.0.0.18:5080: the address is already in use');
      expect(run.output()).not.toMatch(/at .*node:/);
    } finally {
      squatter.close();
    }
  });
});
