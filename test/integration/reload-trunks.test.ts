import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { parseConfig, type Config } from '../../src/config/index.js';
import { runProduct, type RunningProduct } from '../../src/ops/run-product.js';
import type { Cdr } from '../../src/ops/cdr/cdr.js';
import { adminRequest } from '../helpers/admin-client.js';
import { runSipp, sippStartDelay } from '../helpers/sipp.js';
import { SBC_PORT, callsConfig, deviceRow, expectSipp, injection, uas } from './calls-support.js';
import { adminProductConfig } from '../helpers/admin-product-config.js';
import { until } from '../helpers/poll.js';

// A trunk added by a configuration reload carries calls at once, with its call limit.
// The trunk watchdog and carrier registrations follow a reload both ways.
// Loopback addresses of this file: product 127.13.4.1, SBCs 127.13.4.51/52, the new trunk's SBC
// 127.13.4.53, a registering trunk's registrar 127.13.4.54, a pinged trunk's SBC 127.13.4.55
// (all :5061), caller device 127.13.4.40, admin client 127.13.4.30.
const HOST = '127.13.4.1';
const SBCS = ['127.13.4.51', '127.13.4.52'] as const;
const NEW_SBC = '127.13.4.53';
const REGISTRAR = '127.13.4.54';
const PINGED_SBC = '127.13.4.55';
const TOKEN = 'reload-trunks-token-0123456789';

function config(withNewTrunk: boolean, withServicedTrunks = false): Config {
  let text = callsConfig({ sbcHosts: SBCS });
  if (withNewTrunk) {
    const line = "        prefix: '+1'\n        trunks: [bellprimarysbc, bellsecondarysbc]\n      local:";
    if (!text.includes(line)) throw new Error('the longdistance line is no longer where this test expects it');
    text = text.replace(line, "        prefix: '+1'\n        trunks: [newsbc, bellprimarysbc, bellsecondarysbc]\n      local:");
    text += `      newsbc:
        host: ${NEW_SBC}
        port: ${SBC_PORT}
        transport: udp
        trustedAddresses: [${NEW_SBC}]
        firstResponseTimeoutMs: 500
        optionsPingIntervalSeconds: 0
        maxCalls: 1
`;
  }
  if (withServicedTrunks) {
    text += `      regsbc:
        host: ${REGISTRAR}
        port: ${SBC_PORT}
        transport: udp
        credentials: { username: acct88, password: reg-secret-88 }
        register: true
        optionsPingIntervalSeconds: 0
      pingsbc:
        host: ${PINGED_SBC}
        port: ${SBC_PORT}
        transport: udp
        optionsPingIntervalSeconds: 1
`;
  }
  const parsed = parseConfig(text, 'reload-trunks.yaml');
  return {
    ...adminProductConfig(parsed, HOST, TOKEN),
    log: { ...parsed.log, level: 'warn' },
  };
}

interface TrunkRow {
  trunk: string;
  activeCalls: number;
  limit?: { active: number; max?: number };
}

describe('trunks added by a configuration reload', () => {
  let product: RunningProduct;
  let next = config(false);
  const api = (path: string, method = 'GET') => adminRequest(`${product.adminUrl!}/api/v1${path}`, { method, token: TOKEN, localAddress: '127.13.4.30' });
  const trunks = async () => ((await api('/trunks')).json as { trunks: TrunkRow[] }).trunks;

  beforeAll(async () => {
    product = await runProduct(config(false), pino({ level: 'silent' }), { nonceSecret: 'reload-trunks', load: () => next });
    await product.connected;
  });

  afterAll(async () => {
    await product?.stop();
  });

  it('get their call slots, limit and trusted address without a restart: the next call goes out through the new trunk', async () => {
    expect((await trunks()).map((t) => t.trunk)).not.toContain('newsbc');
    expect(product.ctx.bans.isTrusted(NEW_SBC)).toBe(false);
    next = config(true);
    const r = await api('/config/reload', 'POST');
    expect(r.status, r.text).toBe(200);
    // its carrier address is never banned from now on
    expect(product.ctx.bans.isTrusted(NEW_SBC)).toBe(true);
    expect((await trunks()).find((t) => t.trunk === 'newsbc')).toMatchObject({ activeCalls: 0, limit: { active: 0, max: 1 } });

    const sbc = uas('sbc-answer-expects-plus-19055551234', NEW_SBC, SBC_PORT);
    await sippStartDelay();
    const caller = runSipp({
      scenario: 'calls/device-call-answered-then-hang-up.xml',
      target: `${HOST}:5060`,
      ip: '127.13.4.40',
      port: 5060,
      calls: 1,
      injectionFile: injection([deviceRow('100')]),
      extra: ['-s', '19055551234'],
    });
    const [c, s] = await Promise.all([caller.done, sbc.done]);
    expectSipp(c, 1, 'caller');
    expectSipp(s, 1, "the new trunk's SBC");
    await new Promise((res) => setTimeout(res, 200));
    const cdrs = ((await api('/cdrs?limit=1')).json as { cdrs: Cdr[] }).cdrs;
    expect(cdrs[0]).toMatchObject({ finalStatus: 200, trunks: ['newsbc'], attempts: [{ target: 'newsbc', outcome: 200 }] });

    // its maxCalls (1) is enforced like a trunk configured at start
    const registry = product.services.trunks;
    const held = await registry.acquire('demo', 'newsbc', false);
    expect(held).toBeDefined();
    try {
      expect(await registry.acquire('demo', 'newsbc', false)).toBeUndefined();
      expect((await trunks()).find((t) => t.trunk === 'newsbc')).toMatchObject({ activeCalls: 1, limit: { active: 1, max: 1 } });
    } finally {
      held?.release();
    }
  });

  it('are registered and pinged from the reload on, and unregistered and no longer pinged once a reload removes them', async () => {
    const registrations = () => product.services.registrations.all().map((r) => `${r.trunk}:${r.state}`);
    expect(registrations()).toEqual([]);
    const registrar = runSipp({ scenario: 'trunks/registrar-accept-then-unregister.xml', ip: REGISTRAR, port: SBC_PORT, calls: 1, timeoutSec: 30 });
    const pinged = runSipp({ scenario: 'engine/uas-options.xml', ip: PINGED_SBC, port: SBC_PORT, calls: 1, timeoutSec: 30 });
    await sippStartDelay();
    next = config(true, true);
    expect((await api('/config/reload', 'POST')).status).toBe(200);
    expect(product.services.watchdog.pinged()).toContain('demo/pingsbc');
    await until('the REGISTER of the added trunk', () => registrations().includes('regsbc:registered'));
    // the first ping goes out one interval (1 s) after the reload; the SBC answers one and exits
    expectSipp(await pinged.done, 1, 'the added trunk answering its OPTIONS ping');

    next = config(true, false);
    expect((await api('/config/reload', 'POST')).status).toBe(200);
    expect(product.services.watchdog.pinged()).not.toContain('demo/pingsbc');
    expectSipp(await registrar.done, 1, 'registrar (REGISTER, then the unREGISTER after the removal)');
    await until('the removed registration to leave', () => !registrations().some((r) => r.startsWith('regsbc:')));

    // independent of SIPp: nothing reaches the removed trunk's address for three ping intervals
    const listener = dgram.createSocket('udp4');
    const seen: string[] = [];
    listener.on('message', (m) => seen.push(m.toString('utf8').split('\r\n')[0]!));
    await new Promise<void>((ok) => listener.bind(SBC_PORT, PINGED_SBC, ok));
    await new Promise((r) => setTimeout(r, 3000));
    listener.close();
    expect(seen).toEqual([]);
  });
});
