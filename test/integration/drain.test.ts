import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startProductProcess, type ProductProcess } from '../helpers/product-process.js';
import { runSipp, sippStartDelay } from '../helpers/sipp.js';
import { callsConfig, deviceRow, expectSipp, injection, uas } from './calls-support.js';

// `npm start` as a child process drained by SIGTERM. Addresses: product 127.9.0.1 (wire 9791,
// http 9792), callee 100 at 127.9.0.31, callers 127.9.0.40/41, a registering device 127.9.0.42.
const HOST = '127.9.0.1';
const HTTP = `http://${HOST}:9792`;
const running: ProductProcess[] = [];
const sipps: { kill: () => void }[] = [];
const track = <T extends { kill: () => void }>(s: T): T => (sipps.push(s), s);

function configFile(drainSeconds: number): string {
  let text = callsConfig({ sbcHosts: ['127.9.0.51', '127.9.0.52'] });
  const swap = (from: string, to: string): void => {
    if (!text.includes(from)) throw new Error(`the calls config no longer contains "${from}"`);
    text = text.replace(from, to);
  };
  swap('    - host: 127.0.0.1\n      port: 5060', `    - host: ${HOST}\n      port: 5060`);
  swap('  port: 9022', '  port: 9791');
  swap('http:\n  enabled: false\n  host: 127.0.0.1\n  port: 8080', `http:\n  enabled: true\n  host: ${HOST}\n  port: 9792`);
  swap('drain:\n  seconds: 30\n  retryAfterSeconds: 60', `drain:\n  seconds: ${drainSeconds}\n  retryAfterSeconds: 45`);
  text += 'media:\n  mode: off\n';
  const file = join(mkdtempSync(join(tmpdir(), 'drain-')), 'config.yaml');
  writeFileSync(file, text);
  return file;
}

const device = (scenario: string, deviceUser: string, dialled: string, ip: string) =>
  track(runSipp({ scenario: `calls/${scenario}.xml`, target: `${HOST}:5060`, ip, port: 5060, calls: 1, injectionFile: injection([deviceRow(deviceUser)]), extra: ['-s', dialled] }));
const register = (deviceUser: string, ip: string) =>
  runSipp({ scenario: 'registrar/register-md5.xml', target: `${HOST}:5060`, ip, port: 5060, calls: 1, injectionFile: injection([deviceRow(deviceUser)]) });

async function started(drainSeconds: number): Promise<ProductProcess> {
  const p = startProductProcess(configFile(drainSeconds));
  running.push(p);
  await p.waitFor('connected to the SIP engine');
  expectSipp(await register('100', '127.9.0.31').done, 1, 'REGISTER of 100');
  return p;
}

const logLines = (p: ProductProcess): { msg: string; [k: string]: unknown }[] =>
  p
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { msg: string });

afterEach(() => {
  for (const p of running.splice(0)) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  for (const s of sipps.splice(0)) s.kill();
});

describe('graceful drain (SIGTERM)', () => {
  it('the live call completes, a new INVITE gets 503 with Retry-After, REGISTER works, /health says draining, exit 0 after the call', async () => {
    const p = await started(20);
    const callee = track(uas('device-ring-then-answer', '127.9.0.31'));
    await sippStartDelay();
    const caller = device('device-call-answered-held-4s', '101', '100', '127.9.0.40');
    await new Promise((r) => setTimeout(r, 1500)); // answered and talking
    p.child.kill('SIGTERM');
    await p.waitFor('drain started');
    expect(logLines(p).find((l) => l.msg.startsWith('drain started'))).toMatchObject({ liveCalls: 1, seconds: 20, retryAfterSeconds: 45 });

    const refused = await device('invite-gets-503-retry-after', '102', '100', '127.9.0.41').done;
    expectSipp(refused, 1, 'new INVITE during the drain');
    expectSipp(await register('101', '127.9.0.42').done, 1, 'REGISTER during the drain');
    const health = await fetch(`${HTTP}/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: 'draining' });
    expect(p.child.exitCode).toBeNull();

    const [c, u] = await Promise.all([caller.done, callee.done]);
    expectSipp(c, 1, 'caller 101 (held call)');
    expectSipp(u, 1, 'callee 100');
    expect(await p.exited).toBe(0);
    const lines = logLines(p);
    expect(lines.find((l) => l.msg === 'drain finished')).toMatchObject({ liveCalls: 0, cutShort: false });
    expect(lines.some((l) => l.msg.startsWith('drain: call ended'))).toBe(false);
  }, 40_000);

  it('a call longer than drain.seconds is ended with BYE on both legs, then the process exits 0', async () => {
    const p = await started(2);
    const callee = track(uas('device-ring-then-answer', '127.9.0.31'));
    await sippStartDelay();
    const caller = device('device-call-callee-hangs-up', '101', '100', '127.9.0.40');
    await new Promise((r) => setTimeout(r, 1500));
    const sent = Date.now();
    p.child.kill('SIGTERM');
    const [c, u] = await Promise.all([caller.done, callee.done]);
    expectSipp(c, 1, 'caller 101 gets BYE');
    expectSipp(u, 1, 'callee 100 gets BYE');
    expect(Date.now() - sent).toBeGreaterThanOrEqual(1800);
    expect(await p.exited).toBe(0);
    const lines = logLines(p);
    expect(lines.filter((l) => l.msg.startsWith('drain: call ended'))).toEqual([expect.objectContaining({ caller: '101', dialled: '100', hungUp: true })]);
    expect(lines.find((l) => l.msg === 'drain finished')).toMatchObject({ liveCalls: 0 });
  }, 40_000);

  it('a second SIGTERM during the drain stops at once', async () => {
    const p = await started(30);
    track(uas('device-ring-then-answer', '127.9.0.31'));
    await sippStartDelay();
    device('device-call-callee-hangs-up', '101', '100', '127.9.0.40');
    await new Promise((r) => setTimeout(r, 1500));
    p.child.kill('SIGTERM');
    await p.waitFor('drain started');
    const sent = Date.now();
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    expect(Date.now() - sent).toBeLessThan(5000);
    expect(logLines(p).find((l) => l.msg === 'drain finished')).toMatchObject({ cutShort: true });
  }, 40_000);
});
