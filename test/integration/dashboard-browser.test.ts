import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pino from 'pino';
import type { Browser, Page } from 'playwright-core';
import { parseConfig, type Config } from '../../src/config/index.js';
import { runProduct, type RunningProduct } from '../../src/ops/run-product.js';
import type { AppEvent } from '../../src/app/events/app-events.js';
import { runSipp, sippStartDelay } from '../helpers/sipp.js';
import { launchChromium } from '../helpers/headless-chromium.js';
import { callsConfig, deviceRow, expectSipp, injection, uas } from './calls-support.js';
import { adminProductConfig } from '../helpers/admin-product-config.js';

// Loopback addresses of this file (range 127.11.0.0/16): product 127.11.2.1, SBCs 127.11.2.51/52
// (never called), callee 100 at 127.11.2.31, caller 101 at 127.11.2.40. The browser connects from
// 127.0.0.1 to the admin API on 127.11.2.1.
const HOST = '127.11.2.1';
const TOKEN = 'dashboard-browser-token-0123456789';
const ARTIFACTS = resolve('test-artifacts');
const BAN_SECONDS = 8;

type CallEvent = Extract<AppEvent, { type: 'call.started' | 'call.answered' | 'call.ended' }>;

describe('the dashboard in headless Chromium, live over server-sent events', () => {
  let product: RunningProduct;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  /** call events as the product emitted them, with when */
  const calls: { e: CallEvent; at: number }[] = [];
  const callEvent = (type: CallEvent['type'], timeoutMs = 10_000): Promise<CallEvent> =>
    new Promise((ok, fail) => {
      const found = calls.find((c) => c.e.type === type);
      if (found) return ok(found.e);
      const timer = setTimeout(() => fail(new Error(`no ${type} within ${timeoutMs} ms`)), timeoutMs);
      const off = product.ctx.events.subscribe((e) => {
        if (e.type !== type) return;
        clearTimeout(timer);
        off();
        ok(e);
      });
    });

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const parsed = parseConfig(callsConfig({ sbcHosts: ['127.11.2.51', '127.11.2.52'] }), 'dashboard-browser.yaml');
    const admin = adminProductConfig(parsed, HOST, TOKEN);
    const config: Config = {
      ...admin,
      // bans short enough to watch one expire
      auth: { ...admin.auth, ban: { ...admin.auth.ban, banSeconds: BAN_SECONDS } },
      cdr: { ...parsed.cdr, file: join(mkdtempSync(join(tmpdir(), 'dashboard-cdr-')), 'calls.jsonl'), maxBytes: 1024 * 1024, keep: 1 },
    };
    product = await runProduct(config, pino({ level: 'silent' }), { nonceSecret: 'dashboard-browser' });
    await product.connected;
    product.ctx.events.subscribe((e) => {
      if (e.type.startsWith('call.')) calls.push({ e: e as CallEvent, at: Date.now() });
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await product?.stop();
  });

  it('serves the page without the token, with a Content-Security-Policy and no secret in it', async () => {
    const res = await page.goto(`${product.adminUrl!}/dashboard/`);
    expect(res?.status()).toBe(200);
    const headers = res!.headers();
    expect(headers['content-security-policy']).toContain("script-src 'self'");
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(await res!.text()).not.toContain(TOKEN);
    await page.locator('#login').waitFor({ state: 'visible' });
  });

  it('after the operator gives the token, lists the SIPp-registered device', async () => {
    const reg = await runSipp({ scenario: 'registrar/register-md5.xml', target: `${HOST}:5060`, ip: '127.11.2.31', port: 5060, calls: 1, injectionFile: injection([deviceRow('100')]) }).done;
    expectSipp(reg, 1, 'REGISTER of 100');
    await page.fill('#token', TOKEN);
    await page.click('#login button[type=submit]');
    await page.locator('#status[data-state="live"]').waitFor({ timeout: 10_000 });
    expect(await page.locator('#login').isVisible()).toBe(false);
    const row = page.locator('#registrations tbody tr[data-device-user="100"]');
    await row.waitFor({ timeout: 5000 });
    expect(await row.textContent()).toContain('127.11.2.31:5060');
    // the token is kept for this tab only, and never in the address
    expect(await page.evaluate(() => [sessionStorage.length, localStorage.length])).toEqual([1, 0]);
    expect(page.url()).not.toContain(TOKEN);
  });

  it('a SIPp call appears in live calls within a second without a reload, and disappears when it ends', async () => {
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    const callee = uas('device-ring-then-answer', '127.11.2.31');
    await sippStartDelay();
    const caller = runSipp({
      scenario: 'calls/device-call-answered-held-4s.xml',
      target: `${HOST}:5060`,
      ip: '127.11.2.40',
      port: 5060,
      calls: 1,
      injectionFile: injection([deviceRow('101')]),
      extra: ['-s', '100'],
    });
    const started = await callEvent('call.started');
    const row = page.locator(`#calls tbody tr[data-call-id="${started.call.callId}"]`);
    // the acceptance criterion: on screen within one second of the product seeing the call
    await row.waitFor({ state: 'attached', timeout: 1000 });
    expect(await row.textContent()).toContain('101');
    await callEvent('call.answered');
    await row.locator('td', { hasText: 'answered' }).waitFor({ timeout: 1000 });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-live-call.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-live-call-phone.png'), fullPage: true });
    // on a phone nothing is wider than the screen, and the live call's Hang up button is on it
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const hangUp = await row.getByRole('button', { name: 'Hang up' }).boundingBox();
    expect(hangUp!.x + hangUp!.width).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1280, height: 900 });

    const [c, u] = await Promise.all([caller.done, callee.done]);
    expectSipp(c, 1, 'caller 101');
    expectSipp(u, 1, 'callee 100');
    await callEvent('call.ended');
    await row.waitFor({ state: 'detached', timeout: 1000 });
    await page.locator(`#recent tbody tr[data-call-id="${started.call.callId}"]`).waitFor({ timeout: 5000 });
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-after-call.png'), fullPage: true });
  });

  it('Hang up on a live call sends BYE to both SIPp legs through the admin API', async () => {
    calls.length = 0;
    const callee = uas('device-ring-then-answer', '127.11.2.31');
    await sippStartDelay();
    const caller = runSipp({
      scenario: 'calls/device-call-callee-hangs-up.xml',
      target: `${HOST}:5060`,
      ip: '127.11.2.40',
      port: 5060,
      calls: 1,
      injectionFile: injection([deviceRow('101')]),
      extra: ['-s', '100'],
    });
    const answered = await callEvent('call.answered');
    const row = page.locator(`#calls tbody tr[data-call-id="${answered.call.callId}"]`);
    await row.getByRole('button', { name: 'Hang up' }).click({ timeout: 5000 });
    const [c, u] = await Promise.all([caller.done, callee.done]);
    expectSipp(c, 1, 'caller 101 (gets BYE)');
    expectSipp(u, 1, 'callee 100 (gets BYE)');
    const ended = await callEvent('call.ended');
    expect(ended.call.hangupSide).toBe('admin');
    await row.waitFor({ state: 'detached', timeout: 5000 });
  });

  it('a ban appears live and Lift lifts it, another leaves when it expires; a trunk is taken out of service and back from its row', async () => {
    const address = '192.0.2.99';
    for (let i = 0; i < product.ctx.config.auth.ban.maxFailures; i++) product.ctx.bans.recordFailure(address);
    const row = page.locator('#bans tbody tr', { hasText: address });
    await row.waitFor({ timeout: 5000 });
    await row.getByRole('button', { name: 'Lift' }).click();
    await row.waitFor({ state: 'detached', timeout: 5000 });
    expect(product.ctx.bans.isBanned(address)).toBe(false);
    // one left alone leaves the table when it expires (no event says so)
    const other = '192.0.2.98';
    for (let i = 0; i < product.ctx.config.auth.ban.maxFailures; i++) product.ctx.bans.recordFailure(other);
    const expiring = page.locator('#bans tbody tr', { hasText: other });
    await expiring.waitFor({ timeout: 5000 });
    const bannedAt = Date.now();
    await expiring.waitFor({ state: 'detached', timeout: (BAN_SECONDS + 3) * 1000 });
    expect(Date.now() - bannedAt).toBeGreaterThan((BAN_SECONDS - 2) * 1000);
    expect(await page.locator('#trunks tbody tr').count()).toBe(3);
    const trunk = page.locator('#trunks tbody tr[data-trunk="bellsecondarysbc"]');
    await trunk.getByRole('button', { name: 'Out of service' }).click({ timeout: 5000 });
    await trunk.getByRole('button', { name: 'Back in service' }).waitFor({ timeout: 5000 });
    expect(await product.services.trunks.service.outOfService('demo')).toHaveProperty('size', 1);
    await trunk.getByRole('button', { name: 'Back in service' }).click();
    await trunk.getByRole('button', { name: 'Out of service' }).waitFor({ timeout: 5000 });
    expect((await product.services.trunks.service.outOfService('demo')).size).toBe(0);
  });

  it('only the page is public: the API and unknown paths still need the token', async () => {
    const get = async (path: string) => (await fetch(`${product.adminUrl!}${path}`)).status;
    expect(await get('/dashboard/dashboard.js')).toBe(200);
    expect(await get('/api/v1/calls')).toBe(401);
    expect(await get('/api/v1/events')).toBe(401);
    expect(await get('/dashboard/other.js')).toBe(401);
  });

  it('the page logged no error (a CSP violation would be one)', () => {
    expect(problems).toEqual([]);
  });
});
