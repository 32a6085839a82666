import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
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

  it("explains forwards (judged with the forwarder's CoS, time set active or not), hunt groups and block lists", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'route-'));
    const file = join(dir, 'c.yaml');
    const shipped = readFileSync(join(ROOT, 'config/default.yaml'), 'utf8');
    writeFileSync(
      file,
      shipped
        .replace(
          '        password: demo101           # demo only\n',
          "        password: demo101           # demo only\n        forward: { unconditional: { to: '19055551234', timeSet: officeHours }, busy: { to: '19005551234' } }\n        blockLists: { outgoing: { mode: whitelist, patterns: ['1905*'] } }\n",
        )
        .replace('    timeSets:\n', "    huntGroups:\n      sales: { number: '600', members: [{ to: '101', seconds: 5 }, { to: '4165551234', seconds: 10 }] }\n    timeSets:\n"),
    );
    const at = ['--at', '2024-03-12T10:00:00-04:00'];
    const local = JSON.parse((await route(['--config', file, '--from', '100', '--dial', '101', ...at])).stdout) as Record<string, unknown>;
    expect(local).toMatchObject({
      action: 'local',
      forwards: [
        { kind: 'unconditional', to: '19055551234', timeSet: 'officeHours', activeNow: true, outcome: 'outbound line longdistance → +19055551234 (bellprimarysbc, bellsecondarysbc)' },
        { kind: 'busy', to: '19005551234', activeNow: true, outcome: expect.stringMatching(/^refused 403: 101's CoS refuses 19005551234/) },
      ],
      incomingBlockLists: 'none',
    });
    const night = JSON.parse((await route(['--config', file, '--from', '100', '--dial', '101', '--at', '2024-03-12T22:00:00-04:00'])).stdout) as { forwards: { activeNow: boolean }[] };
    expect(night.forwards[0]!.activeNow).toBe(false);
    const hunt = JSON.parse((await route(['--config', file, '--from', '100', '--dial', '600', ...at])).stdout) as Record<string, unknown>;
    expect(hunt).toMatchObject({
      action: 'huntGroup',
      huntGroup: 'sales',
      members: [
        { to: '101', seconds: 5, rings: 'every device of extension 101' },
        { to: '4165551234', rings: 'skipped: a number, and the group has no CoS' },
      ],
    });
    const out = JSON.parse((await route(['--config', file, '--from', '101', '--dial', '19055551234', ...at])).stdout) as { rule: { detail: string } };
    expect(out.rule.detail).toContain("passed 101's block list");
    const blocked = JSON.parse((await route(['--config', file, '--from', '101', '--dial', '14165551234', ...at])).stdout) as Record<string, unknown>;
    expect(blocked).toMatchObject({ action: 'reject', status: 403, reason: 'blocked-outgoing', rule: { step: 'block-list' } });
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
    writeFileSync(file, 'tenants:\n  demo:\n    domain: d\n    cos: { default: { outgoingLines: [foo] } }\n');
    const r = await route(['--config', file, '--tenant', 'demo', '--from', '100', '--dial', '1']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`${file}: tenants.demo.cos.default.outgoingLines[0]: unknown outgoing line "foo"`);
  });
});
