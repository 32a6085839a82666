import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startProductProcess, type ProductProcess } from '../helpers/product-process.js';
import { runSipp } from '../helpers/sipp.js';
import { injection } from './calls-support.js';

// `npm start` as a child process whose configuration file changes under it (SIGHUP and the admin
// API). Addresses: product 127.9.0.2 (wire 9793, admin 9794), a registering device 127.9.0.60.
const HOST = '127.9.0.2';
const TOKEN = 'reload-test-token-0123456789';
const running: ProductProcess[] = [];

function shippedOnOwnAddress(): string {
  let text = readFileSync('config/default.yaml', 'utf8');
  const swap = (from: string, to: string): void => {
    if (!text.includes(from)) throw new Error(`config/default.yaml no longer contains "${from}"`);
    text = text.replace(from, to);
  };
  swap('    - host: 127.0.0.1\n      port: 5060', `    - host: ${HOST}\n      port: 5060`);
  swap('  port: 9022', '  port: 9793');
  swap('admin:\n  enabled: false\n  host: 127.0.0.1\n  port: 8081', `admin:\n  enabled: true\n  host: ${HOST}\n  port: 9794\n  token: ${TOKEN}`);
  return `${text}media:\n  mode: off\n`;
}

const register = (password: string) =>
  runSipp({
    scenario: 'registrar/register-md5.xml',
    target: `${HOST}:5060`,
    ip: '127.9.0.60',
    port: 5060,
    calls: 1,
    timeoutSec: 5,
    injectionFile: injection([`101;[authentication username=101 password=${password}];demo.local`]),
  }).done;
const reloadByApi = () => fetch(`http://${HOST}:9794/api/v1/config/reload`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });

afterEach(() => {
  for (const p of running.splice(0)) if (p.child.exitCode === null) p.child.kill('SIGKILL');
});

describe('configuration reload (SIGHUP, POST /api/v1/config/reload)', () => {
  it('a new password works after SIGHUP; a broken file is refused with file and key logged and the running configuration stays', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'reload-')), 'config.yaml');
    const shipped = shippedOnOwnAddress();
    writeFileSync(file, shipped);
    const p = startProductProcess(file);
    running.push(p);
    await p.waitFor('connected to the SIP engine');
    expect((await register('demo101')).code).toBe(0);

    // a new password for 101, and a listen address that cannot change on reload
    const changed = shipped.replace('password: demo101', 'password: fresh-101-pass').replace(`    - host: ${HOST}\n      port: 5060`, '    - host: 127.9.0.3\n      port: 5060');
    expect(changed).not.toBe(shipped);
    writeFileSync(file, changed);
    p.child.kill('SIGHUP');
    await p.waitFor('configuration reloaded');
    expect(p.output()).toMatch(/configuration reload: sip cannot change without a restart; the running values are kept/);
    expect((await register('fresh-101-pass')).code).toBe(0);
    expect((await register('demo101')).code).not.toBe(0);

    // broken: an unknown CoS reference
    writeFileSync(file, changed.replace('cos: default\n        callerId: { name: Bob', 'cos: nosuchcos\n        callerId: { name: Bob'));
    p.child.kill('SIGHUP');
    await p.waitFor('configuration reload refused');
    const refused = p
      .output()
      .split('\n')
      .find((l) => l.includes('configuration reload refused'))!;
    expect(refused).toContain(file);
    expect(refused).toContain('tenants.demo.extensions.101.cos');
    expect((await register('fresh-101-pass')).code).toBe(0);

    // the same through the admin API: 422 with file and problems, then 200 once the file is good
    const bad = await reloadByApi();
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({ file, problems: [expect.objectContaining({ key: 'tenants.demo.extensions.101.cos' })] });
    writeFileSync(file, shipped);
    const good = await reloadByApi();
    expect(good.status).toBe(200);
    expect(await good.json()).toMatchObject({ reloaded: true, file, tenants: ['demo'] });
    await p.waitFor(/"action":"reload-config"[^\n]*"result":"refused"[\s\S]*"action":"reload-config"[^\n]*"result":"reloaded"/);
    expect((await register('demo101')).code).toBe(0);
    expect(p.child.exitCode).toBeNull();
  }, 60_000);
});
