import { expect } from 'vitest';
import pino from 'pino';
import type { Product } from '../helpers/product-harness.js';
import { gaugesSettled } from '../helpers/product-harness.js';
import { runSipp, type SippResult } from '../helpers/sipp.js';
import type { CallRecord } from '../../src/app/calls/call-record.js';
import { startCdr, type CdrRecorder } from '../../src/ops/cdr/cdr-writer.js';
import type { Cdr } from '../../src/ops/cdr/cdr.js';
import { deviceRow, injection } from './calls-config.js';

export * from './calls-config.js';

/** Registers a device for real (REGISTER, 401, REGISTER with MD5 credentials) from ip:port. */
export async function registerDevice(p: Product, deviceUser: string, ip: string, port = 5060): Promise<void> {
  const r = await runSipp({ scenario: 'registrar/register-md5.xml', target: p.target, ip, port, calls: 1, injectionFile: injection([deviceRow(deviceUser)]) }).done;
  if (r.code !== 0) throw new Error(`REGISTER of ${deviceUser} from ${ip}:${port} failed: ${r.errors || r.stderr}`);
}

/**
 * Puts a binding straight into the location store (for tests that are NOT about registration):
 * the device is reached at ip:port over UDP.
 */
export async function putDeviceBinding(p: Product, deviceUser: string, ip: string, port = 5060): Promise<void> {
  const extension = deviceUser.replace(/_\d+$/, '');
  const contactUri = `sip:${deviceUser}@${ip}:${port}`;
  await p.ctx.store.putBinding(
    { tenant: 'demo', extension, deviceUser },
    {
      bindingId: contactUri,
      contactUri,
      deviceUser,
      extension,
      expiresAt: Date.now() + 300_000,
      callId: `test-${deviceUser}-${ip}`,
      cseq: 1,
      source: { address: ip, port, transport: 'udp' },
    },
    330,
  );
}

export async function clearBindings(p: Product, deviceUsers: string[]): Promise<void> {
  for (const d of deviceUsers) await p.ctx.store.removeAllDeviceBindings({ tenant: 'demo', extension: d.replace(/_\d+$/, ''), deviceUser: d });
}

/** A device placing one call with digest auth: `scenario` in sipp-scenarios/calls. */
export function deviceCalls(p: Product, scenario: string, deviceUser: string, dialled: string, ip: string, port = 5060): { done: Promise<SippResult>; kill: () => void } {
  return runSipp({ scenario: `calls/${scenario}.xml`, target: p.target, ip, port, calls: 1, injectionFile: injection([deviceRow(deviceUser)]), extra: ['-s', dialled] });
}

/** A peer without credentials (carrier or stranger) placing one call to `dialled`. */
export function peerCalls(p: Product, scenario: string, dialled: string, ip: string, port = 5063): { done: Promise<SippResult>; kill: () => void } {
  return runSipp({ scenario: `calls/${scenario}.xml`, target: p.target, ip, port, calls: 1, extra: ['-s', dialled] });
}

/** A SIPp UAS (device or SBC) running `scenario` from sipp-scenarios/calls for `calls` calls. */
export function uas(scenario: string, ip: string, port = 5060, calls = 1): { done: Promise<SippResult>; kill: () => void } {
  return runSipp({ scenario: `calls/${scenario}.xml`, ip, port, calls, timeoutSec: 20 });
}

/** Collects the call records the app logs, in order. */
export function recordCalls(p: Product): CallRecord[] {
  const records: CallRecord[] = [];
  p.services.callListeners.push((r) => records.push(structuredClone(r)));
  return records;
}

export function expectSipp(r: SippResult, successful: number, label: string): void {
  if (r.code !== 0 || r.successful !== successful) console.log(`SIPp ${label}`, r.code, r.stderr.slice(0, 2000), r.errors);
  expect(r, label).toMatchObject({ successful, failed: 0 });
}

/** Every call test ends with no transaction or dialog left in the engine. */
export async function expectEngineIdle(p: Product): Promise<void> {
  const s = await gaugesSettled(p.engine);
  expect(s).toMatchObject({ transactions: 0, dialogs: 0, pendingAppRequests: 0 });
}

/**
 * The product's call records (CDR) as `npm start` writes them (here to memory only, the test
 * configuration has neither Redis nor cdr.file). `next()` waits for the one CDR the last SIPp call
 * left, checks the fields every CDR has (issue 15) and that it matches `expected`.
 */
export class CdrCheck {
  private readonly recorder: CdrRecorder;
  private seen = 0;

  constructor(p: Product) {
    this.recorder = startCdr(p.ctx, p.services, pino({ level: 'silent' }), 'calls-test');
  }

  /** Waits (5 s at most) for exactly one new CDR and checks it. */
  async next(expected: Record<string, unknown>): Promise<Cdr> {
    let all: Cdr[] = [];
    for (let i = 0; i < 100; i++) {
      all = (await this.recorder.recent(1000)).cdrs;
      if (all.length > this.seen) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 100));
    all = (await this.recorder.recent(1000)).cdrs;
    const fresh = all.slice(0, all.length - this.seen).reverse();
    this.seen = all.length;
    expect(fresh, 'one CDR per call').toHaveLength(1);
    const cdr = fresh[0]!;
    expectCdrFields(cdr);
    expect(cdr).toMatchObject(expected);
    return cdr;
  }

  /** No CDR since the last check (e.g. a call challenged before it became one). */
  async none(): Promise<void> {
    await new Promise((r) => setTimeout(r, 200));
    expect((await this.recorder.recent(1000)).cdrs.length - this.seen, 'no new CDR').toBe(0);
  }
}

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** The fields of issue 15: caller, device, dialled, rule, tenant, trunks tried with outcomes, times, duration, status, hang-up side. */
export function expectCdrFields(cdr: Cdr): void {
  expect(cdr.callId).toEqual(expect.any(String));
  expect(cdr.tenant).toEqual(expect.any(String));
  expect(cdr.caller).toEqual(expect.any(String));
  expect(cdr.dialled).toEqual(expect.any(String));
  expect(cdr.rule).toEqual(expect.any(String));
  expect(cdr.finalStatus).toEqual(expect.any(Number));
  if (cdr.direction === 'device') expect(cdr.device).toBe(cdr.caller);
  else expect(cdr.device).toBeUndefined();
  for (const a of cdr.attempts) expect(typeof a.outcome === 'number' || typeof a.outcome === 'string').toBe(true);
  expect(cdr.trunks).toEqual(cdr.attempts.map((a) => a.target).filter((t) => cdr.trunks.includes(t)));
  expect(cdr.startedAt).toMatch(ISO);
  expect(cdr.endedAt).toMatch(ISO);
  expect(Date.parse(cdr.endedAt!)).toBeGreaterThanOrEqual(Date.parse(cdr.startedAt));
  if (cdr.finalStatus === 200 && cdr.answeredAt !== undefined) {
    expect(cdr.answeredAt).toMatch(ISO);
    expect(['caller', 'callee', 'admin']).toContain(cdr.hangupSide);
    expect(cdr.durationSeconds).toBeCloseTo((Date.parse(cdr.endedAt!) - Date.parse(cdr.answeredAt)) / 1000, 0);
  } else {
    expect(cdr.answeredAt).toBeUndefined();
    if (cdr.finalStatus === 487) expect(cdr.hangupSide).toBe('caller');
    expect(cdr.durationSeconds).toBe(0);
  }
}
