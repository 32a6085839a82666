import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { parseConfig, type Config } from '../../src/config/index.js';
import { runProduct, type RunningProduct } from '../../src/ops/run-product.js';
import { adminRequest } from '../helpers/admin-client.js';
import { runSipp, sippStartDelay } from '../helpers/sipp.js';
import { SBC_PORT, callsConfig, deviceRow, expectSipp, injection, uas } from './calls-support.js';
import { adminProductConfig } from '../helpers/admin-product-config.js';

// Loopback addresses of this file: product 127.5.1.1, SBCs 127.5.1.51/52, callee 100 at
// 127.5.1.31, caller devices 127.5.1.40, admin client 127.5.1.10.
const HOST = '127.5.1.1';
const SBCS = ['127.5.1.51', '127.5.1.52'] as const;
const TOKEN = 'admin-calls-token-0123456789';

interface CdrLine {
  callId: string;
  tenant: string;
  caller: string;
  callerExtension?: string;
  dialled: string;
  trunks: string[];
  attempts: { target: string; outcome: number | string }[];
  startedAt: string;
  answeredAt?: string;
  endedAt?: string;
  durationSeconds: number;
  finalStatus: number;
  hangupSide?: string;
  state?: string;
}

describe('active calls and call records (CDR) through the admin API', () => {
  let product: RunningProduct;
  let api: string;
  let cdrFile: string;
  const get = async <T>(path: string): Promise<T> => {
    const r = await adminRequest(`${api}${path}`, { token: TOKEN, localAddress: '127.5.1.10' });
    expect(r.status, r.text).toBe(200);
    return r.json as T;
  };
  const call = (scenario: string, deviceUser: string, dialled: string) =>
    runSipp({ scenario: `calls/${scenario}.xml`, target: `${HOST}:5060`, ip: '127.5.1.40', port: 5060, calls: 1, injectionFile: injection([deviceRow(deviceUser)]), extra: ['-s', dialled] });

  /** the answered calls of GET /calls, polled until there is one (4 s at most) */
  const answeredCalls = async (): Promise<CdrLine[]> => {
    let live: CdrLine[] = [];
    for (let i = 0; i < 40 && live.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      live = (await get<{ calls: CdrLine[] }>('/calls')).calls.filter((c) => c.state === 'answered');
    }
    return live;
  };

  beforeAll(async () => {
    cdrFile = join(mkdtempSync(join(tmpdir(), 'cdr-')), 'calls.jsonl');
    const parsed = parseConfig(callsConfig({ sbcHosts: SBCS }), 'admin-calls.yaml');
    const config: Config = {
      ...adminProductConfig(parsed, HOST, TOKEN),
      cdr: { ...parsed.cdr, file: cdrFile, maxBytes: 1024 * 1024, keep: 2 },
    };
    product = await runProduct(config, pino({ level: 'silent' }), { nonceSecret: 'admin-calls' });
    await product.connected;
    api = `${product.adminUrl!}/api/v1`;
    const reg = await runSipp({ scenario: 'registrar/register-md5.xml', target: `${HOST}:5060`, ip: '127.5.1.31', port: 5060, calls: 1, injectionFile: injection([deviceRow('100')]) }).done;
    expectSipp(reg, 1, 'REGISTER of 100');
  });

  afterAll(async () => {
    await product?.stop();
  });

  it('a SIPp call between extensions appears in active calls while up and leaves one CDR (caller hung up) when it ends', async () => {
    const callee = uas('device-ring-then-answer', '127.5.1.31');
    await sippStartDelay();
    const caller = call('device-call-answered-held-2500ms', '101', '100');
    const live = await answeredCalls();
    expect(live).toEqual([expect.objectContaining({ tenant: 'demo', caller: '101', callerExtension: '101', dialled: '100', state: 'answered', trunks: [] })]);
    const [c, u] = await Promise.all([caller.done, callee.done]);
    expectSipp(c, 1, 'caller 101');
    expectSipp(u, 1, 'callee 100');
    await new Promise((r) => setTimeout(r, 200));
    expect((await get<{ calls: CdrLine[] }>('/calls')).calls).toEqual([]);
    const recent = (await get<{ calls: CdrLine[] }>('/calls/recent?limit=5')).calls;
    expect(recent[0]).toMatchObject({ callId: live[0]!.callId, caller: '101', dialled: '100', tenant: 'demo', finalStatus: 200, hangupSide: 'caller' });
    expect(recent[0]!.durationSeconds).toBeGreaterThanOrEqual(2);
    expect(recent[0]!.durationSeconds).toBeLessThan(6);
    expect(Date.parse(recent[0]!.endedAt!)).toBeGreaterThanOrEqual(Date.parse(recent[0]!.answeredAt!));
    expect(Date.parse(recent[0]!.answeredAt!)).toBeGreaterThanOrEqual(Date.parse(recent[0]!.startedAt));
  });

  it('an answered call is hung up through the API: both SIPp legs get a BYE, and the CDR says admin', async () => {
    const callee = uas('device-ring-then-answer', '127.5.1.31');
    await sippStartDelay();
    const caller = call('device-call-callee-hangs-up', '101', '100');
    const live = await answeredCalls();
    expect(live).toHaveLength(1);
    const del = (id: string) => adminRequest(`${api}/calls/${encodeURIComponent(id)}`, { method: 'DELETE', token: TOKEN, localAddress: '127.5.1.10' });
    const r = await del(live[0]!.callId);
    expect(r.status, r.text).toBe(200);
    const [c, u] = await Promise.all([caller.done, callee.done]);
    expectSipp(c, 1, 'caller 101 (gets BYE)');
    expectSipp(u, 1, 'callee 100 (gets BYE)');
    expect((await get<{ calls: CdrLine[] }>('/calls')).calls).toEqual([]);
    expect((await del(live[0]!.callId)).status).toBe(404);
    const recent = (await get<{ calls: CdrLine[] }>('/calls/recent?limit=1')).calls;
    expect(recent[0]).toMatchObject({ callId: live[0]!.callId, finalStatus: 200, hangupSide: 'admin' });
  });

  it('an outbound call that fails over leaves a CDR with both trunks tried; a refused call leaves one too; all are JSON lines in cdr.file', async () => {
    const sbc1 = uas('sbc-503', SBCS[0], SBC_PORT);
    const sbc2 = uas('sbc-answer-expects-plus-19055551234', SBCS[1], SBC_PORT);
    await sippStartDelay();
    const out = call('device-call-answered-then-hang-up', '100', '19055551234');
    const [c, s1, s2] = await Promise.all([out.done, sbc1.done, sbc2.done]);
    expectSipp(c, 1, 'caller');
    expectSipp(s1, 1, 'primary (503)');
    expectSipp(s2, 1, 'secondary');
    expectSipp(await call('device-call-gets-404', '101', '100_2').done, 1, '404 caller');
    await new Promise((r) => setTimeout(r, 200));
    const recent = (await get<{ calls: CdrLine[] }>('/calls/recent?limit=2')).calls;
    expect(recent).toHaveLength(2);
    expect(recent[0]).toMatchObject({ caller: '101', dialled: '100_2', finalStatus: 404, durationSeconds: 0 });
    expect(recent[0]!.answeredAt).toBeUndefined();
    expect(recent[1]).toMatchObject({
      caller: '100',
      dialled: '19055551234',
      finalStatus: 200,
      trunks: ['bellprimarysbc', 'bellsecondarysbc'],
      attempts: [
        { target: 'bellprimarysbc', outcome: 503 },
        { target: 'bellsecondarysbc', outcome: 200 },
      ],
    });
    expect(['caller', 'callee']).toContain(recent[1]!.hangupSide);
    const lines = readFileSync(cdrFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as CdrLine);
    expect(lines.map((l) => `${l.caller}>${l.dialled}:${l.finalStatus}:${l.hangupSide ?? '-'}`)).toEqual(['101>100:200:caller', '101>100:200:admin', '100>19055551234:200:caller', '101>100_2:404:-']);
  });
});
