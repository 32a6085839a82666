import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// `npm start` with the admin API enabled and no token: refused before anything listens (so this
// test binds nothing; the configured addresses are 127.5.3.x anyway).
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('npm start with admin.enabled and no token', () => {
  it('exits 2 with a config error naming the file and admin.token, not a stack trace', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'admin-start-')), 'config.yaml');
    const shipped = readFileSync(join(ROOT, 'config/default.yaml'), 'utf8');
    const text = shipped
      .replace('admin:\n  enabled: false\n  host: 127.0.0.1', 'admin:\n  enabled: true\n  host: 127.5.3.1')
      .replace('    - host: 127.0.0.1\n      port: 5060', '    - host: 127.5.3.1\n      port: 5060');
    expect(text).toContain('host: 127.5.3.1\n  port: 8081');
    writeFileSync(file, text);
    const env: NodeJS.ProcessEnv = { ...process.env, CONFIG_FILE: file };
    delete env.ADMIN_TOKEN;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code, out).toBe(2);
    expect(out).toContain(`${file}: admin.token: required when admin.enabled is true`);
    expect(out).not.toMatch(/at .*\(.*:\d+:\d+\)/);
  }, 30_000);
});
