import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { createServer, type AddressInfo } from 'node:net';
import pino from 'pino';
import { ConfigError, parseConfig, type Config } from '../../src/config/index.js';
import { runProduct, type RunningProduct } from '../../src/ops/run-product.js';
import { adminRequest } from '../helpers/admin-client.js';
import { credentialsRow, registerWithDigest, registrarConfig, runRegistrarSipp } from './registrar-fixtures.js';
import { adminProductConfig } from '../helpers/admin-product-config.js';

// Loopback addresses of this file (range 127.5.0.0/16): product 127.5.0.1, SIPp device 127.5.0.2,
// guessing client 127.5.0.3, admin clients 127.5.0.10 (good) and 127.5.0.11 (wrong tokens).
const HOST = '127.5.0.1';
const TOKEN = 'admin-test-token-0123456789abcdef';
const CLIENT = '127.5.0.10';

function testConfig(overrides: Partial<Config['admin']> = {}): Config {
  const parsed = parseConfig(registrarConfig({ maxFailures: 3 }), 'admin-test.yaml');
  const base = adminProductConfig(parsed, HOST, TOKEN);
  return { ...base, admin: { ...base.admin, ...overrides } };
}

const logLines: Record<string, unknown>[] = [];
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    for (const line of chunk.toString().split('\n')) if (line.trim() !== '') logLines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  },
});

describe('admin API over real HTTP against the running product', () => {
  let product: RunningProduct;
  let api: string;
  const get = (path: string, token: string | null = TOKEN) => adminRequest(`${api}${path}`, { localAddress: CLIENT, ...(token !== null && { token }) });
  const del = (path: string) => adminRequest(`${api}${path}`, { method: 'DELETE', token: TOKEN, localAddress: CLIENT });

  beforeAll(async () => {
    product = await runProduct(testConfig(), pino({ level: 'info' }, sink), { nonceSecret: 'admin-test-nonce-secret' });
    await product.connected;
    api = `${product.adminUrl!}/api/v1`;
  });

  afterAll(async () => {
    await product?.stop();
  });

  it('refuses a request without a token (401) and serves the OpenAPI document with one', async () => {
    const none = await get('/registrations', null);
    expect(none.status).toBe(401);
    expect(none.json).toMatchObject({ error: { code: 'unauthorized' } });
    expect((await get('/openapi.json', null)).status).toBe(401);
    const doc = await get('/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.json).toMatchObject({ openapi: expect.stringMatching(/^3\./), paths: { '/registrations': {}, '/bans': {}, '/trunks': {}, '/config/validate': {} } });
  });

  it('a SIPp device registers and is listed with its source, transport, user agent and expiry; it can be unregistered', async () => {
    const sipp = await runRegistrarSipp({ scenario: 'register-md5', target: `${HOST}:5060`, ip: '127.5.0.2', rows: [credentialsRow('110', 'test110')] });
    expect(sipp.successful, sipp.errors || sipp.stderr).toBe(1);
    const r = await get('/registrations?tenant=demo&extension=110');
    expect(r.status).toBe(200);
    const body = r.json as { registrations: { tenant: string; extension: string; deviceUser: string; contacts: { contact: string; source: object; userAgent: string; expiresInSeconds: number }[] }[] };
    expect(body.registrations).toHaveLength(1);
    const [device] = body.registrations;
    expect(device).toMatchObject({ tenant: 'demo', extension: '110', deviceUser: '110' });
    expect(device!.contacts).toHaveLength(1);
    const [c] = device!.contacts;
    expect(c).toMatchObject({ contact: 'sip:110@127.5.0.2:5070;transport=UDP', source: { address: '127.5.0.2', port: 5070, transport: 'udp' }, userAgent: 'SIPp registrar test' });
    expect(c!.expiresInSeconds).toBeGreaterThan(100);
    expect(c!.expiresInSeconds).toBeLessThanOrEqual(120);
    // every registration, unfiltered, includes it too
    expect(JSON.stringify((await get('/registrations')).json)).toContain('127.5.0.2');

    const removed = await del('/registrations/demo/110/110');
    expect(removed.status).toBe(200);
    expect(removed.json).toEqual({ removed: 1 });
    expect(await product.ctx.registrar.contactsOf('demo', '110')).toEqual([]);
    expect((await get('/registrations?tenant=demo&extension=110')).json).toEqual({ registrations: [] });
    expect((await del('/registrations/demo/110/110')).status).toBe(404);
    expect(logLines).toContainEqual(expect.objectContaining({ msg: 'admin change', action: 'unregister', target: 'demo/110/110', source: CLIENT }));
  });

  it('a ban created by wrong passwords is listed and lifted, after which the device registers', async () => {
    const ip = '127.5.0.3';
    const target = { host: HOST, port: 5060 };
    for (let i = 0; i < 3; i++) await registerWithDigest({ ip, target, user: '111', password: 'wrong', algorithm: 'MD5' });
    const banned = await registerWithDigest({ ip, target, user: '111', password: 'test111', algorithm: 'MD5' });
    expect(banned.status).not.toBe(200);
    const bans = (await get('/bans')).json as { bans: { address: string; failures: number; until: string }[] };
    expect(bans.bans).toEqual([expect.objectContaining({ address: ip, failures: 3 })]);
    expect(Date.parse(bans.bans[0]!.until)).toBeGreaterThan(Date.now());
    expect((await del(`/bans/${ip}`)).status).toBe(200);
    expect((await get('/bans')).json).toEqual({ bans: [] });
    expect((await del(`/bans/${ip}`)).status).toBe(404);
    expect(logLines).toContainEqual(expect.objectContaining({ msg: 'admin change', action: 'lift-ban', target: ip, source: CLIENT }));
    const after = await registerWithDigest({ ip, target, user: '111', password: 'test111', algorithm: 'MD5' });
    expect(after.status, after.response).toBe(200);
  });

  it('lists the carrier trunks with watchdog health and limits', async () => {
    const r = await get('/trunks');
    expect(r.status).toBe(200);
    const trunks = (r.json as { trunks: { tenant: string; trunk: string; health: string; activeCalls: number }[] }).trunks;
    expect(trunks.map((t) => `${t.tenant}/${t.trunk}`).sort()).toEqual(['demo/bellprimarysbc', 'demo/bellsecondarysbc']);
    for (const t of trunks) {
      expect(['unknown', 'up', 'down']).toContain(t.health);
      expect(t.activeCalls).toBe(0);
    }
  });

  it('validates a posted configuration without applying it: file/key/problem errors as 422', async () => {
    const post = (body: string) => adminRequest(`${api}/config/validate?file=new.yaml`, { method: 'POST', token: TOKEN, body, localAddress: CLIENT });
    const ok = await post(readFileSync('config/default.yaml', 'utf8'));
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ valid: true, file: 'new.yaml', tenants: ['demo'] });
    const bad = await post('registrar:\n  minExpires: soon\n');
    expect(bad.status).toBe(422);
    expect(bad.json).toMatchObject({ valid: false, file: 'new.yaml', problems: [expect.objectContaining({ key: 'registrar.minExpires', line: 2 })] });
    // nothing applied: the running product keeps its tenants
    expect([...product.ctx.config.tenants.keys()]).toEqual(['demo']);
  });

  it('never returns a password, PIN or nonce secret', async () => {
    await runRegistrarSipp({ scenario: 'register-md5', target: `${HOST}:5060`, ip: '127.5.0.2', rows: [credentialsRow('112', 'test112')] });
    const bodies = await Promise.all(['/registrations', '/bans', '/trunks', '/openapi.json'].map(async (p) => (await get(p)).text));
    const config = readFileSync('config/default.yaml', 'utf8');
    const secrets = ['test110', 'test111', 'test112', 'admin-test-nonce-secret', TOKEN, ...[...config.matchAll(/(?:password|pin): *'?([^\s,}']+)/g)].map((m) => m[1]!)];
    expect(secrets.length).toBeGreaterThan(5);
    for (const body of bodies) for (const s of secrets) expect(body).not.toContain(s);
    expect(bodies[0]).toContain('"extension":"112"');
  });

  it('rate-limits a source repeating a wrong token (429 with Retry-After), even once it has the right one; other sources still work', async () => {
    const bad = '127.5.0.11';
    for (let i = 0; i < 10; i++) expect((await adminRequest(`${api}/bans`, { token: `wrong-${i}`, localAddress: bad })).status).toBe(401);
    const limited = await adminRequest(`${api}/bans`, { token: 'wrong-again', localAddress: bad });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await adminRequest(`${api}/bans`, { token: TOKEN, localAddress: bad })).status).toBe(429);
    expect((await get('/bans')).status).toBe(200);
    expect(logLines.filter((l) => l.msg === 'admin API: source refused after repeated bad tokens' && l.source === bad)).toHaveLength(1);
    expect(JSON.stringify(logLines)).not.toContain(TOKEN);
  });
});

describe('admin API configuration', () => {
  it('when the admin port is taken the product fails to start and leaves nothing listening (it starts once the port is free)', async () => {
    const host = '127.5.0.20';
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, host, resolve));
    const taken = (blocker.address() as AddressInfo).port;
    const base = testConfig({ host, port: taken });
    const config: Config = { ...base, sip: { listen: [{ host, port: 5060, transports: ['udp', 'tcp'] }] } };
    const failed = await runProduct(config, pino({ level: 'silent' }), { nonceSecret: 'x' }).catch((e: unknown) => e);
    expect(failed).toMatchObject({ code: 'EADDRINUSE' });
    await new Promise<void>((resolve) => blocker.close(() => resolve()));
    const again = await runProduct(config, pino({ level: 'silent' }), { nonceSecret: 'x' });
    expect(again.adminUrl).toBe(`http://${host}:${taken}`);
    await again.stop();
  });

  it('the product refuses to start the admin API without a token: a config error naming file and key', async () => {
    const { token: _none, ...noToken } = testConfig().admin;
    const config = { ...testConfig(), admin: noToken };
    const err = await runProduct(config, pino({ level: 'silent' }), { nonceSecret: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err).toMatchObject({ file: 'admin-test.yaml', key: 'admin.token' });
    expect((err as Error).message).toMatch(/^admin-test\.yaml: admin\.token: required/);
  });
});
