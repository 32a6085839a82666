import { isIP } from 'node:net';
import type { Trunk } from '../../domain/model.js';
import { fail, type KeyPath } from '../errors.js';
import type { RawTrunk } from '../schema/tenant.js';

export function compileTrunk(trunkName: string, raw: RawTrunk, path: KeyPath): Trunk {
  raw.trustedAddresses.forEach((addr, i) => {
    if (!isAddressOrCidr(addr)) fail([...path, 'trustedAddresses', i], `"${addr}" is not an IP address or IPv4 CIDR`);
  });
  for (const s of raw.failoverOn) {
    if (raw.noFailoverOn.includes(s)) fail([...path, 'failoverOn'], `${s} is also in noFailoverOn`);
  }
  const register = compileRegister(raw, path);
  return {
    name: trunkName,
    host: raw.host,
    port: raw.port,
    transport: raw.transport,
    ...(raw.credentials && { credentials: raw.credentials }),
    trustedAddresses: raw.trustedAddresses,
    ...(raw.maxCalls !== undefined && { maxCalls: raw.maxCalls }),
    trustDomain: raw.trustDomain,
    failoverOn: raw.failoverOn,
    noFailoverOn: raw.noFailoverOn,
    firstResponseTimeoutMs: raw.firstResponseTimeoutMs,
    ...(raw.optionsPingIntervalSeconds > 0 && { optionsPingIntervalSeconds: raw.optionsPingIntervalSeconds }),
    ...(register && { register }),
  };
}

const DEFAULT_REGISTER_EXPIRES = 3600;

/** `register: true` is `{}`; username and password default to the trunk's `credentials`. */
function compileRegister(raw: RawTrunk, path: KeyPath): Trunk['register'] {
  if (raw.register === undefined || raw.register === false) return undefined;
  const r = raw.register === true ? { expires: DEFAULT_REGISTER_EXPIRES } : raw.register;
  const username = r.username ?? raw.credentials?.username;
  const password = r.password ?? raw.credentials?.password;
  if (username === undefined) fail([...path, 'register'], 'registration needs a username (register.username or credentials)');
  return { expires: r.expires, username, ...(password !== undefined && { password }) };
}

function isAddressOrCidr(text: string): boolean {
  const slash = text.indexOf('/');
  if (slash < 0) return isIP(text) !== 0;
  const bits = text.slice(slash + 1);
  return isIP(text.slice(0, slash)) === 4 && /^\d{1,2}$/.test(bits) && Number(bits) <= 32;
}
