import { expect } from 'vitest';
import type { Product } from '../helpers/product-harness.js';
import { gaugesSettled } from '../helpers/product-harness.js';
import { runSipp, type SippResult } from '../helpers/sipp.js';
import { callServices } from '../../src/app/calls/services.js';
import type { CallRecord } from '../../src/app/calls/call-record.js';
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
  await p.ctx.store.putBinding({ tenant: 'demo', extension, deviceUser }, {
    bindingId: contactUri,
    contactUri,
    deviceUser,
    extension,
    expiresAt: Date.now() + 300_000,
    callId: `test-${deviceUser}-${ip}`,
    cseq: 1,
    source: { address: ip, port, transport: 'udp' },
  }, 330);
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
  callServices(p.ctx).callListeners.push((r) => records.push(structuredClone(r)));
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
