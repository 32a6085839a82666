import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startProduct, type Product } from '../helpers/product-harness.js';
import { sippStartDelay } from '../helpers/sipp.js';
import type { CallRecord } from '../../src/app/calls/call-record.js';
import { SBC_PORT, callsConfig, clearBindings, deviceCalls, expectEngineIdle, expectSipp, peerCalls, putDeviceBinding, recordCalls, uas } from './calls-support.js';

// Call forwarding [004] (DOMAIN §7, §9). Engine 127.0.0.164, SBCs 127.0.0.165/166, phones 127.0.0.167–169, callers 127.0.0.171–172.
const PRIMARY_SBC = '127.0.0.165';
const PHONE_100 = '127.0.0.167';
const PHONE_101 = '127.0.0.168';
const PHONE_102 = '127.0.0.169';
let p: Product;
let records: CallRecord[];

beforeAll(async () => {
  p = await startProduct({
    sipHost: '127.0.0.164',
    configText: callsConfig({
      sbcHosts: [PRIMARY_SBC, '127.0.0.166'],
      tenantExtras:
        "    blockLists: { outgoing: { mode: blacklist, patterns: ['1876*'] } }\n" +
        "    huntGroups:\n      sales: { number: '600', members: [{ to: '101', seconds: 3 }, { to: '102', seconds: 5 }] }\n",
      extensionExtras: {
        '100': '        blockLists: { rejectAnonymous: true }\n',
        '101':
          "        forward: { busy: { to: '100' }, noAnswer: { to: '100', afterSeconds: 2 }, unavailable: { to: '100' }, unconditional: { to: '100', callers: { mode: whitelist, patterns: ['102'] } } }\n" +
          "        blockLists: { outgoing: { mode: whitelist, patterns: ['1905*', '1876*'] } }\n",
        '102': "        forward: { unconditional: { to: '19055551234' } }\n",
      },
    }),
  });
  records = recordCalls(p);
});
afterAll(async () => {
  await p?.stop();
});
afterEach(async () => {
  await clearBindings(p, ['100', '101', '102']);
  for (const ext of ['100', '101']) await p.ctx.settings.update('demo', ext, { dnd: false, forwardTo: null });
  await expectEngineIdle(p);
  records.length = 0;
});

const feature = async (device: string, code: string, scenario = 'device-call-gets-603'): Promise<void> => {
  expectSipp(await deviceCalls(p, scenario, device, code, '127.0.0.172').done, 1, `${device} dials ${code}`);
};

describe("call forwarding unconditional (*72) is judged with the forwarder's CoS", () => {
  it('CFU from 101 to an external number: the SBC gets the manipulated number, a Diversion naming 101 and the original caller', async () => {
    await feature('101', '*7219055551234');
    expect(await p.ctx.settings.get('demo', '101')).toEqual({ dnd: false, forwardTo: '19055551234' });
    const sbc = uas('sbc-answer-expects-diversion-101', PRIMARY_SBC, SBC_PORT);
    await sippStartDelay();
    const caller = deviceCalls(p, 'device-call-answered-then-hang-up', '100_2', '101', '127.0.0.171');
    const [c, s] = await Promise.all([caller.done, sbc.done]);
    expectSipp(s, 1, 'SBC (Diversion 101, +19055551234, From 4165550100)');
    expectSipp(c, 1, 'caller 100_2');
    const call = records.find((r) => r.dialled === '101')!;
    expect(call).toMatchObject({ finalStatus: 200 });
    expect(call.attempts.map((a) => a.target)).toEqual(['forward unconditional 101 → 19055551234', 'bellprimarysbc']);
    await feature('101', '*73');
    expect(await p.ctx.settings.get('demo', '101')).toEqual({ dnd: false });
  });

  it("a forward 102's CoS (internal) lacks is refused 403, although the caller (100) may dial that number", async () => {
    const caller = deviceCalls(p, 'device-call-gets-403', '100_2', '102', '127.0.0.171');
    expectSipp(await caller.done, 1, 'caller 100_2');
    expect(records[0]).toMatchObject({ dialled: '102', finalStatus: 403, attempts: [{ target: 'forward unconditional 102 → 19055551234', outcome: 403 }] });
  });

  it("*72 to 1900… is refused (banned prefix) and nothing is stored, although 101's CoS has long distance", async () => {
    await feature('101', '*7219005551234', 'device-call-gets-403');
    expect(await p.ctx.settings.get('demo', '101')).toEqual({ dnd: false });
  });

  it('a forward loop (100 → 101 → 100) ends 482, not a storm', async () => {
    await feature('100', '*72101');
    await feature('101', '*72100');
    const caller = deviceCalls(p, 'device-call-gets-482', '100_2', '100', '127.0.0.171');
    expectSipp(await caller.done, 1, 'caller');
    const call = records.find((r) => r.dialled === '100')!;
    expect(call.attempts).toEqual([
      { target: 'forward unconditional 100 → 101', outcome: 'forwarded' },
      { target: 'forward unconditional 101 → 100', outcome: 482 },
    ]);
  });
});

describe('conditional forwards (busy, no answer, unavailable) and DND', () => {
  it('CFNA: 101 rings for its 2 s, is CANCELled, then the call rings 100, which answers', async () => {
    await putDeviceBinding(p, '101', PHONE_101);
    await putDeviceBinding(p, '100', PHONE_100);
    const ringing = uas('device-ring-until-cancel', PHONE_101);
    const answering = uas('device-ring-then-answer', PHONE_100);
    await sippStartDelay();
    const caller = deviceCalls(p, 'device-call-answered-then-hang-up', '100_2', '101', '127.0.0.171');
    const [c, r, a] = await Promise.all([caller.done, ringing.done, answering.done]);
    expectSipp(c, 1, 'caller');
    expectSipp(r, 1, '101 (rang, CANCELled)');
    expectSipp(a, 1, '100 (answered the forward)');
    expect(records[0]!.attempts.map((x) => x.outcome)).toEqual(['no-answer', 'forwarded', 200]);
  });

  it('CFB: 101 answers 486, the call goes to 100', async () => {
    await putDeviceBinding(p, '101', PHONE_101);
    await putDeviceBinding(p, '100', PHONE_100);
    const busy = uas('device-busy', PHONE_101);
    const answering = uas('device-ring-then-answer', PHONE_100);
    await sippStartDelay();
    const caller = deviceCalls(p, 'device-call-answered-then-hang-up', '100_2', '101', '127.0.0.171');
    const [c, b, a] = await Promise.all([caller.done, busy.done, answering.done]);
    expectSipp(c, 1, 'caller');
    expectSipp(b, 1, '101 (busy)');
    expectSipp(a, 1, '100');
    expect(records[0]!.attempts.map((x) => x.target)).toContain('forward busy 101 → 100');
  });

  it("a forward restricted by caller (101's unconditional forward to 100 is for 102 only): 102's call goes straight to 100, 100's rings 101", async () => {
    await putDeviceBinding(p, '101', PHONE_101);
    await putDeviceBinding(p, '100', PHONE_100);
    const at100 = uas('device-ring-then-answer', PHONE_100);
    await sippStartDelay();
    const from102 = deviceCalls(p, 'device-call-answered-then-hang-up', '102', '101', '127.0.0.172');
    const [c1, a1] = await Promise.all([from102.done, at100.done]);
    expectSipp(c1, 1, 'caller 102');
    expectSipp(a1, 1, '100 (answered the forward)');
    expect(records[0]!.attempts.map((x) => x.target)[0]).toBe('forward unconditional 101 → 100');
    records.length = 0;
    const at101 = uas('device-ring-then-answer', PHONE_101);
    await sippStartDelay();
    const from100 = deviceCalls(p, 'device-call-answered-then-hang-up', '100_2', '101', '127.0.0.171');
    const [c2, a2] = await Promise.all([from100.done, at101.done]);
    expectSipp(c2, 1, 'caller 100_2');
    expectSipp(a2, 1, '101 (rang and answered: no forward for 100)');
    expect(records[0]!.attempts.map((x) => x.target).filter((t) => t.startsWith('forward'))).toEqual([]);
  });

  it('unavailable: nothing registered for 101, the call goes to 100', async () => {
    await putDeviceBinding(p, '100', PHONE_100);
    const answering = uas('device-ring-then-answer', PHONE_100);
    await sippStartDelay();
    const caller = deviceCalls(p, 'device-call-answered-then-hang-up', '100_2', '101', '127.0.0.171');
    const [c, a] = await Promise.all([caller.done, answering.done]);
    expectSipp(c, 1, 'caller');
    expectSipp(a, 1, '100');
    expect(records[0]!.attempts[0]).toEqual({ target: 'forward unavailable 101 → 100', outcome: 'forwarded' });
  });

  it('DND (*78) makes 101 busy without ringing it, which triggers its busy forward; *79 ends it', async () => {
    await feature('101', '*78');
    expect(await p.ctx.settings.get('demo', '101')).toEqual({ dnd: true });
    await putDeviceBinding(p, '100', PHONE_100);
    const answering = uas('device-ring-then-answer', PHONE_100);
    await sippStartDelay();
    const caller = deviceCalls(p, 'device-call-answered-then-hang-up', '100_2', '101', '127.0.0.171');
    const [c, a] = await Promise.all([caller.done, answering.done]);
    expectSipp(c, 1, 'caller');
    expectSipp(a, 1, '100');
    expect(records.find((r) => r.dialled === '101')!.attempts[0]).toEqual({ target: 'forward busy 101 → 100', outcome: 'forwarded' });
    await feature('101', '*79');
    expect(await p.ctx.settings.get('demo', '101')).toEqual({ dnd: false });
  });
});

describe('block lists [004] through SIP', () => {
  it("an administrator blacklist entry beats 101's whitelist entry: 18765551234 is refused 403", async () => {
    const caller = deviceCalls(p, 'device-call-gets-403', '101', '18765551234', '127.0.0.171');
    expectSipp(await caller.done, 1, 'caller 101');
    expect(records[0]).toMatchObject({ dialled: '18765551234', finalStatus: 403 });
    expect(records[0]!.rule).toMatch(/^block-list: .*administrator's outgoing block list/);
  });

  it("an anonymous carrier caller is refused 433 by 100's rejectAnonymous, before any device rings", async () => {
    const carrier = peerCalls(p, 'carrier-anonymous-call-gets-433', '4165550199', PRIMARY_SBC);
    expectSipp(await carrier.done, 1, 'anonymous carrier caller');
    expect(records[0]).toMatchObject({ dialled: '4165550199', finalStatus: 433, attempts: [{ target: 'block list 100', outcome: 433 }] });
  });
});

describe('hunt groups [004]', () => {
  it('hunt group 600 rings 101 for its 3 s, CANCELs it, then rings 102, which answers; nobody rings twice', async () => {
    await putDeviceBinding(p, '101', PHONE_101);
    await putDeviceBinding(p, '102', PHONE_102);
    const first = uas('device-ring-until-cancel', PHONE_101);
    const second = uas('device-ring-then-answer', PHONE_102);
    await sippStartDelay();
    const started = Date.now();
    const caller = deviceCalls(p, 'device-call-answered-then-hang-up', '100_2', '600', '127.0.0.171');
    const [c, a, b] = await Promise.all([caller.done, first.done, second.done]);
    expectSipp(c, 1, 'caller');
    expectSipp(a, 1, '101 (rang 3 s, CANCELled)');
    expectSipp(b, 1, '102 (answered)');
    expect(Date.now() - started).toBeGreaterThanOrEqual(3000);
    expect(records[0]).toMatchObject({ dialled: '600', action: 'huntGroup', finalStatus: 200 });
    expect(records[0]!.attempts.map((x) => x.outcome)).toEqual(['no-answer', 200]);
  });

  it('a member with nothing registered is skipped at once', async () => {
    await putDeviceBinding(p, '102', PHONE_102);
    const second = uas('device-ring-then-answer', PHONE_102);
    await sippStartDelay();
    const caller = deviceCalls(p, 'device-call-answered-then-hang-up', '100_2', '600', '127.0.0.171');
    const [c, b] = await Promise.all([caller.done, second.done]);
    expectSipp(c, 1, 'caller');
    expectSipp(b, 1, '102');
    expect(records[0]!.attempts).toEqual([
      { target: 'hunt sales 101', outcome: 'skipped' },
      { target: `102 sip:102@${PHONE_102}:5060`, outcome: 200 },
    ]);
  });
});
