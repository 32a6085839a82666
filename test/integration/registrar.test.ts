import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startProduct, type Product } from '../helpers/product-harness.js';
import { LocationStoreError } from '../../src/store/index.js';
import { contactsOfExtension } from '../../src/app/handlers/register.js';
import { credentialsRow, headerOf, registerWithDigest, registrarConfig, runRegistrarSipp } from './registrar-fixtures.js';

// Engine addresses 127.0.0.120–121 and 127.0.0.128–129, SIPp and test phones 127.0.0.80–89.
let p: Product;
let dflt: Product;
let sha256Tenant: Product;
let sha256Extension: Product;
const target = (prod: Product) => ({ host: prod.target.split(':')[0]!, port: Number(prod.target.split(':')[1]) });
const devicesOf = async (ext: string) => (await p.ctx.registrar.contactsOf('demo', ext)).map((b) => b.deviceUser).sort();

beforeAll(async () => {
  p = await startProduct({ sipHost: '127.0.0.120', configText: registrarConfig() });
  dflt = await startProduct({ sipHost: '127.0.0.121' });
  const shipped = readFileSync('config/default.yaml', 'utf8');
  const withTenantAuth = shipped.replace('    domain: demo.local\n', '    domain: demo.local\n    auth: { algorithms: [SHA-256, MD5] }\n');
  const withExtensionAuth = shipped.replace('        password: demo101           # demo only\n', '        password: demo101           # demo only\n        auth: { algorithms: [SHA-256] }\n');
  expect(withTenantAuth).not.toBe(shipped);
  expect(withExtensionAuth).not.toBe(shipped);
  sha256Tenant = await startProduct({ sipHost: '127.0.0.128', configText: withTenantAuth });
  sha256Extension = await startProduct({ sipHost: '127.0.0.129', configText: withExtensionAuth });
});
afterAll(async () => {
  await p?.stop();
  await dflt?.stop();
  await sha256Tenant?.stop();
  await sha256Extension?.stop();
});

describe('registrar: digest authentication', () => {
  it('a device registers with MD5 digest auth; its binding keeps the source address/port/transport (NAT)', async () => {
    const r = await runRegistrarSipp({ scenario: 'register-md5', target: p.target, ip: '127.0.0.80', rows: [credentialsRow('110', 'test110')] });
    expect(r, r.errors).toMatchObject({ code: 0, successful: 1, failed: 0 });
    const [b, ...more] = await p.ctx.registrar.contactsOf('demo', '110');
    expect(more).toEqual([]);
    expect(b).toMatchObject({ deviceUser: '110', contactUri: 'sip:110@127.0.0.80:5070;transport=UDP', source: { address: '127.0.0.80', port: 5070, transport: 'udp' } });
  });

  it('the shipped configuration offers one MD5 challenge (what SIPp, baresip and most phones answer) and registers an MD5 client', async () => {
    const r = await registerWithDigest({ ip: '127.0.0.81', target: target(dflt), user: '101', password: 'demo101', algorithm: 'MD5' });
    expect(r.challenge).toEqual([expect.stringMatching(/algorithm=MD5, qop="auth"$/)]);
    expect(r.status, r.response).toBe(200);
  });

  it('a tenant configured for SHA-256 gets a SHA-256 challenge first (then MD5, separate fields) and authenticates a SHA-256 client', async () => {
    const r = await registerWithDigest({ ip: '127.0.0.81', target: target(sha256Tenant), user: '100_2', password: 'demo100', algorithm: 'SHA-256' });
    expect(r.challenge).toHaveLength(2);
    expect(r.challenge[0]).toMatch(/algorithm=SHA-256/);
    expect(r.challenge[1]).toMatch(/algorithm=MD5/);
    expect(r.status, r.response).toBe(200);
    expect((await sha256Tenant.ctx.registrar.contactsOf('demo', '100')).map((b) => b.deviceUser)).toEqual(['100_2']);
  });

  it('an extension configured for SHA-256 only is challenged SHA-256 while the rest of the tenant stays on MD5', async () => {
    const r101 = await registerWithDigest({ ip: '127.0.0.81', target: target(sha256Extension), user: '101', password: 'demo101', algorithm: 'SHA-256' });
    expect(r101.challenge).toEqual([expect.stringMatching(/algorithm=SHA-256, qop="auth"$/)]);
    expect(r101.status, r101.response).toBe(200);
    const r100 = await registerWithDigest({ ip: '127.0.0.81', target: target(sha256Extension), user: '100', password: 'demo100', algorithm: 'MD5' });
    expect(r100.challenge).toEqual([expect.stringMatching(/algorithm=MD5, qop="auth"$/)]);
    expect(r100.status, r100.response).toBe(200);
  });

  it('a device registers with SHA-256 digest auth (a Node client: SIPp 3.6.1 only does MD5)', async () => {
    const r = await registerWithDigest({ ip: '127.0.0.81', target: target(p), user: '111', password: 'test111', algorithm: 'SHA-256' });
    expect(r.status, r.response).toBe(200);
    expect(headerOf(r.response, 'Contact')).toMatch(/^<sip:111@127\.0\.0\.81:\d+>;expires=\d+$/);
    expect(await devicesOf('111')).toEqual(['111']);
  });

  it('a wrong password answers 403 after the challenge and binds nothing', async () => {
    const r = await runRegistrarSipp({ scenario: 'register-refused-after-challenge', target: p.target, ip: '127.0.0.82', rows: [credentialsRow('112', 'wrong')] });
    expect(r, r.errors).toMatchObject({ code: 0, successful: 1 });
    expect(await devicesOf('112')).toEqual([]);
  });

  it('an unknown user answers the same 403 after the challenge as a wrong password', async () => {
    const r = await runRegistrarSipp({ scenario: 'register-refused-after-challenge', target: p.target, ip: '127.0.0.82', rows: [credentialsRow('199', 'test199')] });
    expect(r, r.errors).toMatchObject({ code: 0, successful: 1 });
    expect(await devicesOf('199')).toEqual([]);
  });

  it('with a single tenant, a REGISTER addressed to the server IP (phone without a domain setting) reaches that tenant', async () => {
    const r = await runRegistrarSipp({ scenario: 'register-md5', target: p.target, ip: '127.0.0.83', rows: [credentialsRow('119', 'test119', '127.0.0.120')] });
    expect(r, r.errors).toMatchObject({ code: 0, successful: 1, failed: 0 });
    expect(await devicesOf('119')).toEqual(['119']);
  });

  it('a device registering over TCP is recorded with transport tcp, to be reached over its connection', async () => {
    const r = await runRegistrarSipp({ scenario: 'register-md5', target: p.target, ip: '127.0.0.89', port: 5072, transport: 'tcp', rows: [credentialsRow('113', 'test113')] });
    expect(r, r.errors).toMatchObject({ code: 0, successful: 1, failed: 0 });
    const [b] = await p.ctx.registrar.contactsOf('demo', '113');
    expect(b?.source.transport).toBe('tcp');
    expect(b?.source.address).toBe('127.0.0.89');
    expect(b?.contactUri).toBe('sip:113@127.0.0.89:5072;transport=TCP');
  });

  it('a REGISTER for a domain no tenant owns answers 403 without a challenge', async () => {
    const r = await runRegistrarSipp({ scenario: 'register-refused-without-challenge', target: p.target, ip: '127.0.0.83', rows: [credentialsRow('110', 'test110', 'elsewhere.example')] });
    expect(r, r.errors).toMatchObject({ code: 0, successful: 1 });
  });
});

describe('registrar: shared devices', () => {
  it('100_2 and 100_3 register for 3-device extension 100 with its password; 100_4 answers 403', async () => {
    const ok = await runRegistrarSipp({ scenario: 'register-md5', target: p.target, ip: '127.0.0.84', rows: [credentialsRow('100_2', 'demo100'), credentialsRow('100_3', 'demo100')] });
    expect(ok, ok.errors).toMatchObject({ code: 0, successful: 2, failed: 0 });
    const over = await runRegistrarSipp({ scenario: 'register-refused-after-challenge', target: p.target, ip: '127.0.0.84', rows: [credentialsRow('100_4', 'demo100')] });
    expect(over, over.errors).toMatchObject({ code: 0, successful: 1 });
    expect(await devicesOf('100')).toEqual(['100_2', '100_3']);
  });

  it('contactsOfExtension lists every device of the extension with the source to reach it', async () => {
    const tenant = p.config.tenants.get('demo')!;
    const contacts = await contactsOfExtension(p.ctx, tenant, tenant.extensions.get('100')!);
    expect(contacts.map((c) => [c.deviceUser, c.source]).sort()).toEqual([
      ['100_2', { address: '127.0.0.84', port: 5070, transport: 'udp' }],
      ['100_3', { address: '127.0.0.84', port: 5070, transport: 'udp' }],
    ]);
  });
});

describe('registrar: expiry and bindings (RFC 3261 §10.3)', () => {
  it('Expires below the minimum answers 423 with Min-Expires and binds nothing', async () => {
    const r = await runRegistrarSipp({ scenario: 'register-expires-too-brief', target: p.target, ip: '127.0.0.85', rows: [credentialsRow('114', 'test114')] });
    expect(r, r.errors).toMatchObject({ code: 0, successful: 1 });
    expect(await devicesOf('114')).toEqual([]);
  });

  it('expires=0 on one contact removes only that contact', async () => {
    const r = await runRegistrarSipp({ scenario: 'unregister-one-contact', target: p.target, ip: '127.0.0.86', rows: [credentialsRow('115', 'test115')] });
    expect(r, r.errors).toMatchObject({ code: 0, successful: 1 });
    const left = await p.ctx.registrar.contactsOf('demo', '115');
    expect(left.map((b) => b.contactUri)).toEqual(['sip:115-b@127.0.0.86:5070;transport=UDP']);
  });

  it('Contact: * with Expires: 0 removes every contact of the device', async () => {
    const r = await runRegistrarSipp({ scenario: 'unregister-all', target: p.target, ip: '127.0.0.87', rows: [credentialsRow('116', 'test116')] });
    expect(r, r.errors).toMatchObject({ code: 0, successful: 1 });
    expect(await devicesOf('116')).toEqual([]);
  });

  it('a re-REGISTER in the same Call-ID with a higher CSeq refreshes the binding instead of adding one', async () => {
    const r = await runRegistrarSipp({ scenario: 'register-refresh', target: p.target, ip: '127.0.0.88', rows: [credentialsRow('117', 'test117')] });
    expect(r, r.errors).toMatchObject({ code: 0, successful: 1 });
    const bindings = await p.ctx.registrar.contactsOf('demo', '117');
    expect(bindings).toHaveLength(1);
    expect(bindings[0]!.cseq).toBe(4);
    // 300 s requested on the refresh, 120 s before it
    expect(bindings[0]!.expiresAt - Date.now()).toBeGreaterThan(200_000);
  });

  it('an unreachable location store answers 503 with Retry-After', async () => {
    const spy = vi.spyOn(p.ctx.store, 'getDeviceBindings').mockRejectedValueOnce(new LocationStoreError('down for the test', 'unavailable'));
    try {
      const r = await registerWithDigest({ ip: '127.0.0.89', target: target(p), user: '118', password: 'test118', algorithm: 'MD5' });
      expect(r.status, r.response).toBe(503);
      expect(headerOf(r.response, 'Retry-After')).toMatch(/^\d+$/);
    } finally {
      spy.mockRestore();
    }
    expect(await devicesOf('118')).toEqual([]);
  });
});
