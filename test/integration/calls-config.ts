// Configuration and SIPp injection rows for the call tests and test/bench/calls.ts (no vitest here).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** SBCs of the call tests listen on 5061, so OPTIONS pings of other tests' demo config (5060) never reach them. */
export const SBC_PORT = 5061;
export const PRIMARY = '127.0.0.51';
export const SECONDARY = '127.0.0.52';
export const EMERGENCY_SBC_PORT = 5062;

export interface CallsConfigOptions {
  firstResponseTimeoutMs?: number;
  /** the demo tenant's ring timeout for calls to extensions */
  ringTimeoutSeconds?: number;
  /** primary and secondary SBC addresses (default 127.0.0.51/52), for a test file of its own */
  sbcHosts?: readonly [string, string];
  /** YAML lines inserted under an extension (e.g. `forward:`), keyed by extension number */
  extensionExtras?: Readonly<Record<string, string>>;
  /** YAML lines inserted in the demo tenant (e.g. `blockLists:`) */
  tenantExtras?: string;
  /** OPTIONS ping interval of the primary trunk (0 = off, the default here). */
  primaryPingSeconds?: number;
  primaryMaxCalls?: number;
  secondaryCredentials?: { username: string; password: string };
}

/**
 * config/default.yaml (the demo tenant) with what call tests need: SHA-256 offered after MD5 (for
 * the Node digest client; SIPp answers only MD5, the first), trunks on port 5061 with a short first-response timeout, an emergency trunk of its
 * own, and an emergency caller ID for the lobby phone 102 (CoS internal).
 */
export function callsConfig(o: CallsConfigOptions = {}): string {
  let text = readFileSync('config/default.yaml', 'utf8');
  const swap = (from: string, to: string): void => {
    if (!text.includes(from)) throw new Error(`config/default.yaml no longer contains "${from}"`);
    text = text.replace(from, to);
  };
  swap('algorithms: [MD5]', 'algorithms: [MD5, SHA-256]');
  if (o.tenantExtras !== undefined) swap('    timeZone: America/Toronto\n', `    timeZone: America/Toronto\n${o.tenantExtras}`);
  for (const [ext, extra] of Object.entries(o.extensionExtras ?? {})) swap(`      '${ext}':\n`, `      '${ext}':\n${extra}`);
  if (o.ringTimeoutSeconds !== undefined) swap('    ringTimeoutSeconds: 30 ', `    ringTimeoutSeconds: ${o.ringTimeoutSeconds} `);
  swap("cos: internal\n      '103':", "cos: internal\n        emergencyCallerId: { name: Lobby Location, number: '4165550102' }\n      '103':");
  swap('trunks: [bellprimarysbc, bellsecondarysbc]\n        record: true', 'trunks: [e911sbc]\n        record: true');
  const cut = text.indexOf('    trunks:\n      bellprimarysbc:');
  if (cut < 0) throw new Error('config/default.yaml no longer ends with the trunks section');
  const timeout = o.firstResponseTimeoutMs ?? 500;
  const [primary, secondary] = o.sbcHosts ?? [PRIMARY, SECONDARY];
  text = `${text.slice(0, cut)}    trunks:
      bellprimarysbc:
        host: ${primary}
        port: ${SBC_PORT}
        transport: udp
        trustedAddresses: [${primary}]
        firstResponseTimeoutMs: ${timeout}
        optionsPingIntervalSeconds: ${o.primaryPingSeconds ?? 0}
${o.primaryMaxCalls === undefined ? '' : `        maxCalls: ${o.primaryMaxCalls}\n`}      bellsecondarysbc:
        host: ${secondary}
        port: ${SBC_PORT}
        transport: udp
        trustedAddresses: [${secondary}]
        firstResponseTimeoutMs: ${timeout}
        optionsPingIntervalSeconds: 0
${o.secondaryCredentials === undefined ? '' : `        credentials: { username: ${o.secondaryCredentials.username}, password: ${o.secondaryCredentials.password} }\n`}      e911sbc:
        host: ${secondary}
        port: ${EMERGENCY_SBC_PORT}
        transport: udp
        firstResponseTimeoutMs: ${timeout}
        optionsPingIntervalSeconds: 0
        maxCalls: 1
`;
  return text;
}

const PASSWORDS: Record<string, string> = { '100': 'demo100', '101': 'demo101', '102': 'demo102', '103': 'demo103' };

export function injection(rows: string[]): string {
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
