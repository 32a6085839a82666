import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { optionsRequest, statusLine, tlsExchange } from '../helpers/raw-sip-peers.js';
import { makeTestCertificate, type TestCertificate } from '../helpers/tls-cert.js';
import { ROOT, ScriptRuns, type Run } from '../helpers/script-runs.js';

// `npm run engine` and `npm start` with TLS, as child processes. Addresses 127.14.4.x.
const runs = new ScriptRuns();
let cert: TestCertificate;

const start = (script: string, args: string[], env: Record<string, string> = {}): Run => runs.start(script, args, env);

async function waitFor(run: Run, text: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && !run.output().includes(text)) await new Promise((r) => setTimeout(r, 100));
  if (!run.output().includes(text)) throw new Error(`no "${text}" in the output:\n${run.output()}`);
}

beforeAll(() => {
  cert = makeTestCertificate(['127.14.4.1', '127.14.4.3']);
});
afterAll(() => cert?.remove());
afterEach(() => {
  runs.killAll();
});

const withTlsListen = (host: string, tls: string, wirePort: number): string => {
  const dir = mkdtempSync(join(tmpdir(), 'tls-start-'));
  const file = join(dir, 'config.yaml');
  const shipped = readFileSync(join(ROOT, 'config/default.yaml'), 'utf8');
  const from = '    - host: 127.0.0.1\n      port: 5060\n      transports: [udp, tcp]\n';
  expect(shipped).toContain(from);
  const tlsEntry = `    - host: ${host}\n      port: 5061\n      transports: [tls]\n      tls: ${tls}\n`;
  writeFileSync(file, shipped.replace(from, from.replace('127.0.0.1', host) + tlsEntry).replace('  port: 9022', `  port: ${wirePort}`) + `media:\n  embedded:\n    host: ${host}\n`);
  return file;
};

describe('starting with TLS', () => {
  it('npm run engine -- --contact "sips:HOST:5061;transport=tls" --cert-file --key-file: a TLS client is answered', async () => {
    const run = start('src/engine/cli.ts', [
      '--contact',
      'sips:127.14.4.1:5061;transport=tls',
      '--cert-file',
      cert.certFile,
      '--key-file',
      cert.keyFile,
      '--port',
      '9791',
      '--address',
      '127.14.4.1',
      '--secret',
      'x',
    ]);
    await waitFor(run, 'tls/127.14.4.1:5061');
    const r = await tlsExchange(
      '127.14.4.50',
      '127.14.4.1',
      5061,
      [optionsRequest('127.14.4.50', 5061, '127.14.4.1:5061', 'cli-tls', '', 'TLS')],
      5000,
      (s) => s.includes('\r\n\r\n'),
      readFileSync(cert.caFile),
    );
    expect(statusLine(r.replies), 'no app connected: the engine answers 503 itself').toBe(503);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });

  it('npm run engine with a missing certificate file exits 1 with one sentence naming the file', async () => {
    const run = start('src/engine/cli.ts', [
      '--contact',
      'sips:127.14.4.1:5062',
      '--cert-file',
      '/nonexistent/cert.pem',
      '--key-file',
      cert.keyFile,
      '--port',
      '9792',
      '--address',
      '127.14.4.1',
      '--secret',
      'x',
    ]);
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('sip-engine: TLS certificate file /nonexistent/cert.pem: no such file');
    expect(run.output()).not.toMatch(/at .*node:/);
  });

  it('npm start with sip.listen tls and a missing key file exits 1 naming the file (engine in its own thread)', async () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'tls-missing-')), 'missing-key.pem');
    const run = start('src/main.ts', [], { CONFIG_FILE: withTlsListen('127.14.4.2', `{ certFile: ${cert.certFile}, keyFile: ${missing} }`, 9793) });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain(`sip-b2bua: the SIP engine did not start: TLS key file ${missing}: no such file`);
  });

  it('npm start with a TLS listen entry: a TLS client is answered by the product', async () => {
    const run = start('src/main.ts', [], { CONFIG_FILE: withTlsListen('127.14.4.3', `{ certFile: ${cert.certFile}, keyFile: ${cert.keyFile} }`, 9794) });
    await waitFor(run, 'application started');
    const r = await tlsExchange(
      '127.14.4.51',
      '127.14.4.3',
      5061,
      [optionsRequest('127.14.4.51', 5061, '127.14.4.3:5061', 'start-tls', '', 'TLS')],
      5000,
      (s) => s.includes('\r\n\r\n'),
      readFileSync(cert.caFile),
    );
    expect(statusLine(r.replies)).toBeGreaterThanOrEqual(200);
    expect(r.replies).toContain('Via: SIP/2.0/TLS 127.14.4.51:5061;branch=z9hG4bK-start-tls');
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });
});
