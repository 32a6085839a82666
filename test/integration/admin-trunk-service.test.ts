import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSocket, type Socket } from 'node:dgram';
import pino from 'pino';
import { parseConfig, type Config } from '../../src/config/index.js';
import { runProduct, type RunningProduct } from '../../src/ops/run-product.js';
import type { Cdr } from '../../src/ops/cdr/cdr.js';
import { adminRequest } from '../helpers/admin-client.js';
import { runSipp, sippStartDelay } from '../helpers/sipp.js';
import { SBC_PORT, callsConfig, deviceRow, expectSipp, injection, uas } from './calls-support.js';
import { adminProductConfig } from '../helpers/admin-product-config.js';

// Loopback addresses of this file: product 127.13.3.1, SBCs 127.13.3.51/52 (:5061), caller device
// 127.13.3.40, admin client 127.13.3.10.
const HOST = '127.13.3.1';
const SBCS = ['127.13.3.51', '127.13.3.52'] as const;
const CLIENT = '127.13.3.10';
const TOKEN = 'trunk-service-token-0123456789';

interface LogLine {
  msg: string;
  level: number;
  [k: string]: unknown;
}

describe('admin API: trunk out of service, hot-desk sessions, night mode and forwarding', () => {
  let product: RunningProduct;
  let api: string;
  const logs: LogLine[] = [];
  const req = async (path: string, o: { method?: string; body?: unknown; actor?: string } = {}) => {
    const r = await adminRequest(`${api}${path}`, {
      method: o.method ?? 'GET',
      token: TOKEN,
      localAddress: CLIENT,
      ...(o.body !== undefined && { body: JSON.stringify(o.body), contentType: 'application/json' }),
      ...(o.actor !== undefined && { headers: { 'x-admin-actor': o.actor } }),
    });
    return { status: r.status, json: r.json as Record<string, unknown> };
  };
  const call = (scenario: string, deviceUser: string, dialled: string) =>
    runSipp({ scenario: `calls/${scenario}.xml`, target: `${HOST}:5060`, ip: '127.13.3.40', port: 5060, calls: 1, injectionFile: injection([deviceRow(deviceUser)]), extra: ['-s', dialled] });
  const latestCdr = async (): Promise<Cdr> => {
    await new Promise((r) => setTimeout(r, 200));
    const r = await adminRequest(`${api}/cdrs?limit=1`, { token: TOKEN, localAddress: CLIENT });
    expect(r.status, r.text).toBe(200);
    return (r.json as { cdrs: Cdr[] }).cdrs[0]!;
  };

  beforeAll(async () => {
    const parsed = parseConfig(callsConfig({ sbcHosts: SBCS }), 'admin-trunk-service.yaml');
    const config: Config = {
      ...adminProductConfig(parsed, HOST, TOKEN),
      log: { ...parsed.log, level: 'warn' }, // the engine's own lines; the app logs to `logs` below
    };
    const log = pino({ level: 'info' }, { write: (s: string) => void logs.push(JSON.parse(s) as LogLine) });
    product = await runProduct(config, log, { nonceSecret: 'trunk-service' });
    await product.connected;
    api = `${product.adminUrl!}/api/v1`;
  });

  afterAll(async () => {
    await product?.stop();
  });

  it('a primary taken out of service is skipped by the next call, which goes to the secondary SBC; back in service, the primary carries the next one', async () => {
    const out = await req('/trunks/demo/bellprimarysbc/out-of-service', { method: 'POST', body: { reason: 'carrier maintenance' }, actor: 'alice' });
    expect(out.status).toBe(200);
    expect(out.json).toMatchObject({ tenant: 'demo', trunk: 'bellprimarysbc', inService: false, outOfService: { by: `alice@${CLIENT}`, reason: 'carrier maintenance' } });
    const trunks = (await req('/trunks')).json['trunks'] as { trunk: string; inService: boolean; outOfService?: { by: string } }[];
    expect(trunks.find((t) => t.trunk === 'bellprimarysbc')).toMatchObject({ inService: false, outOfService: { by: `alice@${CLIENT}` } });
    expect(trunks.find((t) => t.trunk === 'bellsecondarysbc')).toMatchObject({ inService: true });
    expect(logs).toContainEqual(expect.objectContaining({ msg: 'admin change', action: 'trunk-out-of-service', target: 'demo/bellprimarysbc', by: `alice@${CLIENT}` }));

    // anything reaching the primary's address would be counted here
    const primary: Socket = createSocket('udp4');
    let toPrimary = 0;
    primary.on('message', () => toPrimary++);
    await new Promise<void>((r) => primary.bind(SBC_PORT, SBCS[0], r));
    try {
      const sbc2 = uas('sbc-answer-expects-plus-19055551234', SBCS[1], SBC_PORT);
      await sippStartDelay();
      const caller = call('device-call-answered-then-hang-up', '100', '19055551234');
      const [c, s2] = await Promise.all([caller.done, sbc2.done]);
      expectSipp(c, 1, 'caller');
      expectSipp(s2, 1, 'secondary SBC');
    } finally {
      await new Promise<void>((r) => primary.close(() => r()));
    }
    expect(toPrimary, 'nothing sent to the out-of-service primary').toBe(0);
    expect(await latestCdr()).toMatchObject({
      dialled: '19055551234',
      finalStatus: 200,
      trunks: ['bellprimarysbc', 'bellsecondarysbc'],
      attempts: [
        { target: 'bellprimarysbc', outcome: 'out-of-service' },
        { target: 'bellsecondarysbc', outcome: 200 },
      ],
    });
    expect(logs).toContainEqual(expect.objectContaining({ msg: 'trunk bellprimarysbc is out of service (admin): skipped', outOfServiceBy: `alice@${CLIENT}`, reason: 'carrier maintenance' }));

    const back = await req('/trunks/demo/bellprimarysbc/in-service', { method: 'POST' });
    expect(back).toEqual({ status: 200, json: { tenant: 'demo', trunk: 'bellprimarysbc', inService: true } });
    expect(logs).toContainEqual(expect.objectContaining({ msg: 'admin change', action: 'trunk-in-service', by: CLIENT, result: 'back in service' }));
    const sbc1 = uas('sbc-answer-expects-plus-19055551234', SBCS[0], SBC_PORT);
    await sippStartDelay();
    const caller = call('device-call-answered-then-hang-up', '100', '19055551234');
    const [c, s1] = await Promise.all([caller.done, sbc1.done]);
    expectSipp(c, 1, 'caller');
    expectSipp(s1, 1, 'primary SBC again');
    expect(await latestCdr()).toMatchObject({ trunks: ['bellprimarysbc'], attempts: [{ target: 'bellprimarysbc', outcome: 200 }] });
  });

  it('an unknown trunk is 404; a reason that is not a string is 400', async () => {
    expect((await req('/trunks/demo/nosuchtrunk/out-of-service', { method: 'POST' })).status).toBe(404);
    expect((await req('/trunks/nosuchtenant/bellprimarysbc/in-service', { method: 'POST' })).status).toBe(404);
    expect((await req('/trunks/demo/bellprimarysbc/out-of-service', { method: 'POST', body: { reason: 42 } })).status).toBe(400);
    const trunks = (await req('/trunks')).json['trunks'] as { trunk: string; inService: boolean }[];
    expect(trunks.every((t) => t.inService)).toBe(true);
  });

  it('hot-desk sessions are listed and a guest is logged out through the API', async () => {
    await product.ctx.hotDesk.login('demo', '103', '222', 3600);
    const listed = await req('/hot-desk');
    expect(listed.status).toBe(200);
    expect(listed.json['sessions']).toEqual([{ tenant: 'demo', phone: '103', guest: '222', expiresAt: expect.stringMatching(/^\d{4}-/) }]);
    expect((await req('/hot-desk?tenant=other')).json['sessions']).toEqual([]);
    const out = await req('/hot-desk/demo/103', { method: 'DELETE', actor: 'bob' });
    expect(out).toEqual({ status: 200, json: { tenant: 'demo', phone: '103', loggedOut: '222' } });
    expect(await product.ctx.hotDesk.guestOn('demo', '103')).toBeUndefined();
    expect((await req('/hot-desk/demo/103', { method: 'DELETE' })).status).toBe(404);
    expect(logs).toContainEqual(expect.objectContaining({ msg: 'admin change', action: 'hot-desk-logout', target: 'demo/103', by: `bob@${CLIENT}`, result: 'guest 222 logged out' }));
  });

  it("night mode and an extension's DND / forward are shown and set through the API, in the settings store the calls read", async () => {
    const before = (await req('/tenants')).json['tenants'] as { tenant: string; nightMode: boolean; extensions: { extension: string; dnd: boolean; forwardTo?: string }[] }[];
    expect(before[0]).toMatchObject({ tenant: 'demo', nightMode: false });
    expect(before[0]!.extensions).toContainEqual({ extension: '101', dnd: false });

    expect(await req('/tenants/demo/night-mode', { method: 'PUT', body: { nightMode: true } })).toEqual({ status: 200, json: { tenant: 'demo', nightMode: true } });
    expect(await req('/tenants/demo/night-mode', { method: 'PUT', body: { nightMode: true } })).toEqual({ status: 200, json: { tenant: 'demo', nightMode: true } });
    expect(await product.ctx.settings.getTenant('demo')).toEqual({ nightMode: true });
    expect((await req('/tenants/demo/night-mode', { method: 'PUT', body: { nightMode: 'yes' } })).status).toBe(400);
    expect((await req('/tenants/nosuch/night-mode', { method: 'PUT', body: { nightMode: true } })).status).toBe(404);

    const set = await req('/tenants/demo/extensions/101/settings', { method: 'PUT', body: { dnd: true, forwardTo: '4165550000' } });
    expect(set).toEqual({ status: 200, json: { tenant: 'demo', extension: '101', dnd: true, forwardTo: '4165550000' } });
    expect(await product.ctx.settings.get('demo', '101')).toEqual({ dnd: true, forwardTo: '4165550000' });
    const after = (await req('/tenants')).json['tenants'] as { nightMode: boolean; extensions: unknown[] }[];
    expect(after[0]!.nightMode).toBe(true);
    expect(after[0]!.extensions).toContainEqual({ extension: '101', dnd: true, forwardTo: '4165550000' });
    expect((await req('/tenants/demo/extensions/101/settings', { method: 'PUT', body: { forwardTo: 'not a number' } })).status).toBe(400);
    expect((await req('/tenants/demo/extensions/999/settings', { method: 'PUT', body: { dnd: true } })).status).toBe(404);
    expect((await req('/tenants/demo/extensions/101/settings', { method: 'PUT', body: { dnd: false, forwardTo: null } })).json).toEqual({ tenant: 'demo', extension: '101', dnd: false });

    expect(await req('/tenants/demo/night-mode', { method: 'PUT', body: { nightMode: false } })).toEqual({ status: 200, json: { tenant: 'demo', nightMode: false } });
    expect(logs.filter((l) => l.msg === 'admin change' && l['action'] === 'night-mode').map((l) => l['result'])).toEqual(['on', 'on', 'off']);
    expect(logs).toContainEqual(expect.objectContaining({ msg: 'admin change', action: 'extension-settings', target: 'demo/101', result: 'dnd on, forward 4165550000' }));
  });

  it('the OpenAPI document names the new paths', async () => {
    const doc = (await req('/openapi.json')).json as { paths: Record<string, unknown> };
    for (const p of [
      '/cdrs',
      '/trunks/{tenant}/{trunk}/out-of-service',
      '/trunks/{tenant}/{trunk}/in-service',
      '/hot-desk',
      '/hot-desk/{tenant}/{phone}',
      '/tenants',
      '/tenants/{tenant}/night-mode',
      '/tenants/{tenant}/extensions/{extension}/settings',
    ]) {
      expect(doc.paths[p], p).toBeDefined();
    }
  });
});
