import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startProduct, type Product } from '../helpers/product-harness.js';
import { sippStartDelay } from '../helpers/sipp.js';
import type { CallRecord } from '../../src/app/calls/call-record.js';
import { CdrCheck, EMERGENCY_SBC_PORT, PRIMARY, SBC_PORT, SECONDARY, callsConfig, deviceCalls, expectEngineIdle, expectSipp, recordCalls, uas } from './calls-support.js';

// Calls out through the demo trunks (SIPp SBCs on 127.0.0.51/52:5061). Engine on 127.0.0.201.
let p: Product;
let records: CallRecord[];
let cdrs: CdrCheck;

beforeAll(async () => {
  p = await startProduct({ sipHost: '127.0.0.201', configText: callsConfig({ firstResponseTimeoutMs: 500, primaryMaxCalls: 1 }) });
  records = recordCalls(p);
  cdrs = new CdrCheck(p);
});
afterAll(async () => {
  await p.stop();
});
afterEach(async () => {
  await expectEngineIdle(p);
  records.length = 0;
});

const primary = (scenario: string) => uas(scenario, PRIMARY, SBC_PORT);
const secondary = (scenario: string) => uas(scenario, SECONDARY, SBC_PORT);

describe('trunk failover (DOMAIN §6, §9)', () => {
  it('primary answers 503: the call completes through the secondary, which receives the manipulated number +19055551234', async () => {
    const sbc1 = primary('sbc-503');
    const sbc2 = secondary('sbc-answer-expects-plus-19055551234');
    await sippStartDelay();
    const caller = deviceCalls(p, 'device-call-answered-then-hang-up', '100', '19055551234', '127.0.0.150');
    const [c, s1, s2] = await Promise.all([caller.done, sbc1.done, sbc2.done]);
    expectSipp(c, 1, 'caller');
    expectSipp(s1, 1, 'primary (503)');
    expectSipp(s2, 1, 'secondary (answers +19055551234)');
    expect(records[0]).toMatchObject({
      dialled: '19055551234',
      action: 'outbound',
      finalStatus: 200,
      attempts: [
        { target: 'bellprimarysbc', outcome: 503 },
        { target: 'bellsecondarysbc', outcome: 200 },
      ],
    });
    expect(records[0]!.rule).toContain('longdistance');
    const cdr = await cdrs.next({
      tenant: 'demo',
      direction: 'device',
      caller: '100',
      device: '100',
      callerExtension: '100',
      dialled: '19055551234',
      action: 'outbound',
      finalStatus: 200,
      trunks: ['bellprimarysbc', 'bellsecondarysbc'],
      attempts: [
        { target: 'bellprimarysbc', outcome: 503 },
        { target: 'bellsecondarysbc', outcome: 200 },
      ],
    });
    expect(cdr.rule).toContain('longdistance');
    expect(cdr.answeredAt).toBeDefined();
    expect(['caller', 'callee']).toContain(cdr.hangupSide);
  });

  it('primary does not answer at all: after the first-response timeout the INVITE is dropped and the secondary completes the call', async () => {
    const sbc1 = primary('sbc-silent');
    const sbc2 = secondary('sbc-answer-expects-plus-19055551234');
    await sippStartDelay();
    const caller = deviceCalls(p, 'device-call-answered-then-hang-up', '100', '19055551234', '127.0.0.150');
    const [c, s1, s2] = await Promise.all([caller.done, sbc1.done, sbc2.done]);
    expectSipp(c, 1, 'caller');
    expectSipp(s1, 1, 'primary (silent, got the INVITE)');
    expectSipp(s2, 1, 'secondary');
    expect(records[0]).toMatchObject({
      finalStatus: 200,
      attempts: [
        { target: 'bellprimarysbc', outcome: 'timeout' },
        { target: 'bellsecondarysbc', outcome: 200 },
      ],
    });
    await cdrs.next({
      finalStatus: 200,
      trunks: ['bellprimarysbc', 'bellsecondarysbc'],
      attempts: [
        { target: 'bellprimarysbc', outcome: 'timeout' },
        { target: 'bellsecondarysbc', outcome: 200 },
      ],
    });
  });

  it('a 486 from the primary is passed to the caller without trying the secondary', async () => {
    const sbc1 = primary('sbc-486');
    await sippStartDelay();
    const caller = deviceCalls(p, 'device-call-gets-486', '100', '19055551234', '127.0.0.150');
    const [c, s1] = await Promise.all([caller.done, sbc1.done]);
    expectSipp(c, 1, 'caller gets 486');
    expectSipp(s1, 1, 'primary (486)');
    expect(records[0]).toMatchObject({ finalStatus: 486, attempts: [{ target: 'bellprimarysbc', outcome: 486 }] });
    await cdrs.next({ finalStatus: 486, trunks: ['bellprimarysbc'], attempts: [{ target: 'bellprimarysbc', outcome: 486 }] });
  });

  it('after early media (183 with SDP) a 503 from the primary is passed on: the callee must never ring twice', async () => {
    const sbc1 = primary('sbc-early-media-then-503');
    await sippStartDelay();
    const caller = deviceCalls(p, 'device-call-gets-503', '100', '19055551234', '127.0.0.150');
    const [c, s1] = await Promise.all([caller.done, sbc1.done]);
    expectSipp(c, 1, 'caller gets 503');
    expectSipp(s1, 1, 'primary (183, 503)');
    expect(records[0]).toMatchObject({ finalStatus: 503, attempts: [{ target: 'bellprimarysbc', outcome: 503, earlyMedia: true }] });
    await cdrs.next({ finalStatus: 503, attempts: [{ target: 'bellprimarysbc', outcome: 503, earlyMedia: true }] });
  });

  it('once the caller hangs up (CANCEL) while the primary rings, the primary is cancelled and the secondary never tried', async () => {
    const sbc1 = primary('device-ring-until-cancel');
    await sippStartDelay();
    const caller = deviceCalls(p, 'device-cancel-while-ringing', '100', '19055551234', '127.0.0.150');
    const [c, s1] = await Promise.all([caller.done, sbc1.done]);
    expectSipp(c, 1, 'caller cancels');
    expectSipp(s1, 1, 'primary (rings, cancelled)');
    expect(records[0]).toMatchObject({ finalStatus: 487, attempts: [{ target: 'bellprimarysbc', outcome: 487 }] });
    await cdrs.next({ finalStatus: 487, trunks: ['bellprimarysbc'], hangupSide: 'caller' });
  });

  it("a carrier's 407 challenge is answered with the trunk's credentials", async () => {
    const q = await startProduct({ sipHost: '127.0.0.203', configText: callsConfig({ secondaryCredentials: { username: 'acct42', password: 'carrier-secret' } }) });
    try {
      const own = recordCalls(q);
      const sbc1 = primary('sbc-503');
      const sbc2 = secondary('sbc-challenge-then-answer');
      await sippStartDelay();
      const caller = deviceCalls(q, 'device-call-answered-then-hang-up', '100', '19055551234', '127.0.0.151');
      const [c, s1, s2] = await Promise.all([caller.done, sbc1.done, sbc2.done]);
      expectSipp(c, 1, 'caller');
      expectSipp(s1, 1, 'primary (503)');
      expectSipp(s2, 1, 'secondary (407, then checks Proxy-Authorization)');
      expect(own[0]).toMatchObject({ finalStatus: 200 });
      await expectEngineIdle(q);
    } finally {
      await q.stop();
    }
  });
});

describe('per-trunk concurrent call limits (DOMAIN §6)', () => {
  it('a primary at its maxCalls is skipped; the call goes through the secondary', async () => {
    const trunks = p.services.trunks;
    const held = await trunks.acquire('demo', 'bellprimarysbc', false); // the one slot is taken
    expect(held).toBeDefined();
    try {
      const sbc2 = secondary('sbc-answer-expects-plus-19055551234');
      await sippStartDelay();
      const caller = deviceCalls(p, 'device-call-answered-then-hang-up', '100', '19055551234', '127.0.0.150');
      const [c, s2] = await Promise.all([caller.done, sbc2.done]);
      expectSipp(c, 1, 'caller');
      expectSipp(s2, 1, 'secondary');
      expect(records[0]).toMatchObject({
        attempts: [
          { target: 'bellprimarysbc', outcome: 'limit' },
          { target: 'bellsecondarysbc', outcome: 200 },
        ],
      });
      await cdrs.next({
        finalStatus: 200,
        attempts: [
          { target: 'bellprimarysbc', outcome: 'limit' },
          { target: 'bellsecondarysbc', outcome: 200 },
        ],
      });
    } finally {
      held?.release();
    }
    expect(trunks.all().find((t) => t.trunk === 'bellsecondarysbc')?.activeCalls).toBe(0);
  });

  it('an emergency call is never refused by the limit of its trunk', async () => {
    const trunks = p.services.trunks;
    const held = await trunks.acquire('demo', 'e911sbc', false); // e911sbc allows 1 call: now full
    expect(held).toBeDefined();
    try {
      const e911 = uas('sbc-answer-expects-911', SECONDARY, EMERGENCY_SBC_PORT);
      await sippStartDelay();
      const caller = deviceCalls(p, 'device-call-answered-then-hang-up', '102', '911', '127.0.0.152');
      const [c, s] = await Promise.all([caller.done, e911.done]);
      expectSipp(c, 1, 'caller 102');
      expectSipp(s, 1, 'emergency SBC');
      await cdrs.next({ dialled: '911', action: 'emergency', finalStatus: 200, attempts: [{ target: 'e911sbc', outcome: 200 }] });
    } finally {
      held?.release();
    }
  });
});

describe('CoS decisions on the outgoing path (DOMAIN §5)', () => {
  it('a banned prefix (1900…) is refused with 403 although the wildcard line 1NXXNXXXXXX! matches', async () => {
    const caller = deviceCalls(p, 'device-call-gets-403', '100', '19005551234', '127.0.0.150');
    expectSipp(await caller.done, 1, 'caller gets 403');
    expect(records[0]).toMatchObject({ action: 'reject', finalStatus: 403, attempts: [] });
    expect(records[0]!.rule).toMatch(/^banned-prefix: prefix 1900/);
    const cdr = await cdrs.next({ caller: '100', dialled: '19005551234', action: 'reject', finalStatus: 403, attempts: [], trunks: [] });
    expect(cdr.rule).toMatch(/^banned-prefix: prefix 1900/);
  });

  it('911 from extension 102 (CoS internal: nothing else outside) goes to the emergency trunk with the emergency caller ID; with no media server it still goes out, unrecorded', async () => {
    const e911 = uas('sbc-answer-expects-911', SECONDARY, EMERGENCY_SBC_PORT);
    await sippStartDelay();
    const caller = deviceCalls(p, 'device-call-answered-then-hang-up', '102', '911', '127.0.0.152');
    const [c, s] = await Promise.all([caller.done, e911.done]);
    expectSipp(c, 1, 'caller 102');
    expectSipp(s, 1, 'emergency SBC');
    expect(records[0]).toMatchObject({ action: 'emergency', finalStatus: 200, attempts: [{ target: 'e911sbc', outcome: 200 }] });
    // e911 has record: true, but this product has no media server
    expect(p.ctx.media).toBeUndefined();
    expect(records[0]!.recording).toBeUndefined();
    const cdr = await cdrs.next({ caller: '102', dialled: '911', action: 'emergency', finalStatus: 200, trunks: ['e911sbc'] });
    expect(cdr.recording).toBeUndefined();
  });

  it('102 (CoS internal) cannot call out: 19055551234 is refused with 403', async () => {
    const caller = deviceCalls(p, 'device-call-gets-403', '102', '19055551234', '127.0.0.152');
    expectSipp(await caller.done, 1, 'caller gets 403');
    expect(records[0]).toMatchObject({ action: 'reject', finalStatus: 403 });
    await cdrs.next({ caller: '102', device: '102', dialled: '19055551234', action: 'reject', finalStatus: 403, attempts: [] });
  });

  it('a *67 call reaches the SBC anonymous: From anonymous, Privacy: id, identity only in P-Asserted-Identity', async () => {
    const sbc1 = primary('sbc-answer-expects-anonymous');
    await sippStartDelay();
    const caller = deviceCalls(p, 'device-call-answered-then-hang-up', '100', '*679055551234', '127.0.0.150');
    const [c, s1] = await Promise.all([caller.done, sbc1.done]);
    expectSipp(c, 1, 'caller');
    expectSipp(s1, 1, 'primary checking privacy headers');
    expect(records[0]).toMatchObject({ finalStatus: 200, attempts: [{ target: 'bellprimarysbc', outcome: 200 }] });
    await cdrs.next({ dialled: '*679055551234', finalStatus: 200, trunks: ['bellprimarysbc'] });
  });
});

describe('trunk watchdog (DOMAIN §6)', () => {
  it('a primary marked down by OPTIONS pings is skipped at once; the call completes through the secondary', async () => {
    const q = await startProduct({ sipHost: '127.0.0.202', configText: callsConfig({ primaryPingSeconds: 1 }) });
    try {
      const own = recordCalls(q);
      const ownCdrs = new CdrCheck(q);
      const trunks = q.services.trunks;
      // nothing listens on the primary: pings go unanswered until it is marked down (bounded wait)
      for (let i = 0; i < 100 && trunks.isUp('demo', 'bellprimarysbc'); i++) await new Promise((r) => setTimeout(r, 100));
      expect(trunks.isUp('demo', 'bellprimarysbc')).toBe(false);
      const sbc2 = secondary('sbc-answer-expects-plus-19055551234');
      await sippStartDelay();
      const caller = deviceCalls(q, 'device-call-answered-then-hang-up', '100', '19055551234', '127.0.0.153');
      const [c, s2] = await Promise.all([caller.done, sbc2.done]);
      expectSipp(c, 1, 'caller');
      expectSipp(s2, 1, 'secondary');
      expect(own[0]).toMatchObject({
        finalStatus: 200,
        attempts: [
          { target: 'bellprimarysbc', outcome: 'trunk-down' },
          { target: 'bellsecondarysbc', outcome: 200 },
        ],
      });
      await ownCdrs.next({
        finalStatus: 200,
        trunks: ['bellprimarysbc', 'bellsecondarysbc'],
        attempts: [
          { target: 'bellprimarysbc', outcome: 'trunk-down' },
          { target: 'bellsecondarysbc', outcome: 200 },
        ],
      });
      q.services.watchdog.stop();
      await expectEngineIdle(q);
    } finally {
      await q.stop();
    }
  });
});
