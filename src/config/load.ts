import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import type { Tenant } from '../domain/model.js';
import { compileTenant } from './compile/tenant.js';
import { ConfigError, ConfigProblemAt, formatKeyPath, type ConfigProblem, type ConfigWarning } from './errors.js';
import type { AuthConfig, DrachtioConfig, HttpConfig, LogConfig, MediaConfig, RedisConfig, RegistrarConfig, SipConfig } from './schema/platform.js';
import type { AdminConfig, CdrConfig } from './schema/admin.js';
import type { DrainConfig } from './schema/drain.js';
import { KNOWN_SECTIONS, configSchema, type RawConfig } from './schema/root.js';
import { tenantWarnings } from './warnings.js';
import { YamlSyntaxError, readYaml, type YamlSource } from './yaml-source.js';

/** The loaded configuration: platform sections as validated, tenants compiled for the domain. */
export interface Config {
  readonly file: string;
  readonly sip: SipConfig;
  readonly drachtio: DrachtioConfig;
  readonly registrar: RegistrarConfig;
  readonly auth: AuthConfig;
  /** Absent: use the in-memory store. */
  readonly redis?: RedisConfig;
  readonly log: LogConfig;
  readonly http: HttpConfig;
  readonly media: MediaConfig;
  readonly admin: AdminConfig;
  readonly cdr: CdrConfig;
  readonly drain: DrainConfig;
  readonly tenants: ReadonlyMap<string, Tenant>;
  /** Tenants by SIP domain (the realm used to find a tenant from a request). */
  readonly tenantsByDomain: ReadonlyMap<string, Tenant>;
  readonly warnings: readonly ConfigWarning[];
  /** The validated document, including sections this module does not interpret. */
  readonly raw: RawConfig;
}

/** Reads and validates a YAML file. Throws ConfigError (file, key, problem) when invalid. */
export function loadConfig(filePath: string): Config {
  let text: string;
  try {
    text = readFileSync(filePath, 'utf8');
  } catch (e) {
    throw new ConfigError(filePath, [{ key: '', problem: `cannot read file: ${(e as Error).message}` }]);
  }
  return parseConfig(text, filePath);
}

/** Same as loadConfig, from text; `fileName` is only used in messages. */
export function parseConfig(text: string, fileName: string): Config {
  let source: YamlSource;
  try {
    source = readYaml(text);
  } catch (e) {
    if (e instanceof YamlSyntaxError) {
      throw new ConfigError(fileName, [{ key: '', problem: e.problem, ...(e.line !== undefined && { line: e.line }) }]);
    }
    throw e;
  }
  const data = source.data ?? {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new ConfigError(fileName, [{ key: '', problem: 'the file must contain a mapping of sections (sip, tenants, ...)' }]);
  }
  const parsed = configSchema.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => zodProblem(issue, source));
    throw new ConfigError(fileName, problems as [ConfigProblem, ...ConfigProblem[]]);
  }
  const raw = parsed.data;
  const tenants = new Map<string, Tenant>();
  const tenantsByDomain = new Map<string, Tenant>();
  const warnings: ConfigWarning[] = [];
  try {
    for (const [name, rawTenant] of Object.entries(raw.tenants)) {
      const tenant = compileTenant(name, rawTenant);
      const clash = tenantsByDomain.get(tenant.domain);
      if (clash !== undefined) throw new ConfigProblemAt(['tenants', name, 'domain'], `domain ${tenant.domain} is already tenant "${clash.name}"'s`);
      tenants.set(name, tenant);
      tenantsByDomain.set(tenant.domain, tenant);
      warnings.push(...tenantWarnings(fileName, tenant));
    }
    rejectSharedTrustedAddresses(tenants);
  } catch (e) {
    if (e instanceof ConfigProblemAt) {
      const line = source.lineOf(e.path);
      throw new ConfigError(fileName, [{ key: formatKeyPath(e.path), problem: e.problem, ...(line !== undefined && { line }) }]);
    }
    throw e;
  }
  for (const section of Object.keys(data)) {
    if (!(KNOWN_SECTIONS as readonly string[]).includes(section)) {
      warnings.push({ file: fileName, key: section, problem: 'unknown section (ignored by the core loader)', kind: 'unknown-section' });
    }
  }
  return {
    file: fileName,
    sip: raw.sip,
    drachtio: raw.drachtio,
    registrar: raw.registrar,
    auth: raw.auth,
    ...(raw.redis !== undefined && raw.redis !== null && { redis: raw.redis }),
    log: raw.log,
    http: raw.http,
    media: raw.media,
    admin: raw.admin,
    cdr: raw.cdr,
    drain: raw.drain,
    tenants,
    tenantsByDomain,
    warnings,
    raw,
  };
}

function zodProblem(issue: z.core.$ZodIssue, source: YamlSource): ConfigProblem {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  let problem = issue.message;
  if (issue.code === 'unrecognized_keys') {
    problem = `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  } else if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) {
    problem = 'required';
  }
  const line = source.lineOf(path);
  return { key: formatKeyPath(path), problem, ...(line !== undefined && { line }) };
}

/** An inbound call must identify one trunk: a source address may be trusted by one trunk only. */
function rejectSharedTrustedAddresses(tenants: ReadonlyMap<string, Tenant>): void {
  const owner = new Map<string, string>();
  for (const t of tenants.values()) {
    for (const trunk of t.trunks.values()) {
      trunk.trustedAddresses.forEach((addr, i) => {
        const other = owner.get(addr);
        if (other !== undefined) {
          throw new ConfigProblemAt(['tenants', t.name, 'trunks', trunk.name, 'trustedAddresses', i], `${addr} is already trusted by trunk ${other}`);
        }
        owner.set(addr, `${t.name}/${trunk.name}`);
      });
    }
  }
}
