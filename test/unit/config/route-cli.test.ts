import { execFile } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

async function route(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('npx', ['tsx', 'src/cli/route.ts', ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('route CLI (npm run route -- ...) as a child process', () => {
  it('prints one JSON decision for an outbound call, exit 0', async () => {
    const r = await route(['--config', 'config/default.yaml', '--tenant', 'demo', '--from', '100', '--dial', '*6719055551234']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({
      action: 'outbound',
      status: null,
      line: 'private-longdistance',
      number: '+19055551234',
      trunks: ['bellprimarysbc', 'bellsecondarysbc'],
      privacy: true,
      rule: { step: 'outgoing-line' },
    });
  });

  it('a rejection is a decision too: exit 0 with action reject and the status', async () => {
    const r = await route(['--config', 'config/default.yaml', '--tenant', 'demo', '--from', '100_2', '--dial', '19005551234', '--at', '2024-03-12T10:00:00-04:00']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ action: 'reject', status: 403, rule: { step: 'banned-prefix', bannedPrefix: '1900' } });
  });

  it('--hotdesk and --pin reach the decision', async () => {
    const r = await route(['--config', 'config/default.yaml', '--tenant', 'demo', '--from', '103', '--hotdesk', '222', '--dial', '4165551212']);
    expect(JSON.parse(r.stdout)).toMatchObject({ action: 'outbound', callerId: { name: 'Guest' } });
  });

  it('bad input (unknown caller, bad time) exits non-zero with a clear message', async () => {
    const unknown = await route(['--config', 'config/default.yaml', '--tenant', 'demo', '--from', '100_9', '--dial', '911']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('caller "100_9"');
    expect(unknown.stdout).toBe('');
    const badTime = await route(['--config', 'config/default.yaml', '--tenant', 'demo', '--from', '100', '--dial', '911', '--at', 'yesterday']);
    expect(badTime.code).not.toBe(0);
    expect(badTime.stderr).toContain('--at');
  });

  it('a bad configuration exits non-zero naming file, key and problem', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'route-cli-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, "tenants:\n  demo:\n    domain: d\n    cos: { default: { outgoingLines: [foo] } }\n");
    const r = await route(['--config', file, '--tenant', 'demo', '--from', '100', '--dial', '1']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`${file}: tenants.demo.cos.default.outgoingLines[0]: unknown outgoing line "foo"`);
  });
});
