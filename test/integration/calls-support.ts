import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Product } from '../helpers/product-harness.js';
import { gaugesSettled } from '../helpers/product-harness.js';
import { runSipp, type SippResult } from '../helpers/sipp.js';
import { callServices } from '../../src/app/calls/services.js';
import type { CallRecord } from '../../src/app/calls/call-record.js';

/** SBCs of the call tests listen on 5061, so OPTIONS pings of other tests' demo config (5060) never reach them. */
export const SBC_PORT = 5061;
export const PRIMARY = '127.0.0.51';
export const SECONDARY = '127.0.0.52';
export const EMERGENCY_SBC_PORT = 5062;

export interface CallsConfigOptions {
  firstResponseTimeoutMs?: number;
  /** OPTIONS ping interval of the primary trunk (0 = off, the default here). */
  primaryPingSeconds?: number;
  primaryMaxCalls?: number;
  secondaryCredentials?: { username: string; password: string };
}

/**
 * config/default.yaml (the demo tenant) with what call tests need: MD5 offered first (SIPp answers
 * only MD5), trunks on port 5061 with a short first-response timeout, an emergency trunk of its
 * own, and an emergency caller ID for the lobby phone 102 (CoS internal).
 */
export function callsConfig(o: CallsConfigOptions = {}): string {
  let text = readFileSync('config/default.yaml', 'utf8');
  const swap = (from: string, to: string): void => {
    if (!text.includes(from)) throw new Error(`config/default.yaml no longer contains "${from}"`);
    text = text.replace(from, to);
  };
  swap('algorithms: [SHA-256, MD5]', 'algorithms: [MD5, SHA-256]');
  swap("cos: internal\n      '103':", "cos: internal\n        emergencyCallerId: { name: Lobby Location, number: '4165550102' }\n      '103':");
  swap('trunks: [bellprimarysbc, bellsecondarysbc]\n        record: true', 'trunks: [e911sbc]\n        record: true');
  const cut = text.indexOf('    trunks:\n      bellprimarysbc:');
  if (cut < 0) throw new Error('config/default.yaml no longer ends with the trunks section');
  const timeout = o.firstResponseTimeoutMs ?? 500;
  text = `${text.slice(0, cut)}    trunks:
      bellprimarysbc:
        host: ${PRIMARY}
        port: ${SBC_PORT}
        transport: udp
        trustedAddresses: [${PRIMARY}]
        firstResponseTimeoutMs: ${timeout}
        optionsPingIntervalSeconds: ${o.primaryPingSeconds ?? 0}
${o.primaryMaxCalls === undefined ? '' : `        maxCalls: ${o.primaryMaxCalls}\n`}      bellsecondarysbc:
        host: ${SECONDARY}
        port: ${SBC_PORT}
        transport: udp
        trustedAddresses: [${SECONDARY}]
        firstResponseTimeoutMs: ${timeout}
        optionsPingIntervalSeconds: 0
${o.secondaryCredentials === undefined ? '' : `        credentials: { username: ${o.secondaryCredentials.username}, password: ${o.secondaryCredentials.password} }\n`}      e911sbc:
        host: ${SECONDARY}
        port: ${EMERGENCY_SBC_PORT}
        transport: udp
        firstResponseTimeoutMs: ${timeout}
        optionsPingIntervalSeconds: 0
        maxCalls: 1
`;
  return text;
}

const PASSWORDS: Record<string, string> = { '100': 'demo100', '101': 'demo101', '102': 'demo102', '103': 'demo103' };

function injection(rows: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'calls-inf-'));
  const file = join(dir, 'rows.csv');
  writeFileSync(file, `SEQUENTIAL\n${rows.join('\n')}\n`);
  return file;
}

/** SIPp injection row: device user; the whole [authentication] keyword; domain. */
export function deviceRow(deviceUser: string, domain = 'demo.local'): string {
  const password = PASSWORDS[deviceUser.replace(/_\d+$/, '')] ?? 'unknown';
  return `${deviceUser};[authentication username=${deviceUser} password=${password}];${domain}`;
}

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
