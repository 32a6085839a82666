import { ERRORS, errorMessage } from '../lib/errors.js';

/**
 * Dry run of the dial plan for administrators:
 *   npm run route -- --config FILE --tenant T --from EXT --dial DIGITS [--at ISO-TIME] [--pin PIN] [--hotdesk EXT]
 * Prints one JSON decision on stdout; exit 0 for any decision, 2 for bad input or configuration.
 */
import { parseArgs } from 'node:util';
import { DateTime } from 'luxon';
import { ConfigError, formatWarning, loadConfig } from '../config/index.js';
import { DomainError } from '../domain/errors.js';
import { decideRoute } from '../domain/routing/decide.js';
import { resolveCaller } from '../domain/routing/caller.js';
import { routeDecisionJson } from './route-output.js';

const USAGE = 'usage: npm run route -- --config FILE --tenant T --from EXT --dial DIGITS [--at ISO-TIME] [--pin PIN] [--hotdesk EXT] [--warnings]';

class UsageError extends Error {
  readonly code = ERRORS.ROUTE_CLI_USAGE.code;
  constructor(problem: string) {
    super(errorMessage('ROUTE_CLI_USAGE', { problem }));
    this.name = 'UsageError';
  }
}

function main(argv: readonly string[]): number {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      config: { type: 'string', default: 'config/default.yaml' },
      tenant: { type: 'string' },
      from: { type: 'string' },
      dial: { type: 'string' },
      at: { type: 'string' },
      pin: { type: 'string' },
      hotdesk: { type: 'string' },
      warnings: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const config = loadConfig(values.config);
  if (values.warnings) for (const w of config.warnings) process.stderr.write(`warning: ${formatWarning(w)}\n`);
  const tenantName = values.tenant ?? (config.tenants.size === 1 ? [...config.tenants.keys()][0] : undefined);
  if (tenantName === undefined) throw new UsageError(`--tenant is required (tenants: ${[...config.tenants.keys()].join(', ')})`);
  const tenant = config.tenants.get(tenantName);
  if (tenant === undefined) throw new UsageError(`unknown tenant "${tenantName}" (tenants: ${[...config.tenants.keys()].join(', ')})`);
  if (values.from === undefined) throw new UsageError('--from is required');
  if (values.dial === undefined || values.dial === '') throw new UsageError('--dial is required');
  const at = parseAt(values.at);
  const caller = resolveCaller(tenant, values.from, values.hotdesk);
  const decision = decideRoute({
    tenant,
    caller,
    dialled: values.dial,
    at,
    explain: true,
    ...(values.pin !== undefined && { pin: values.pin }),
  });
  process.stdout.write(`${JSON.stringify(routeDecisionJson(decision, { tenant: tenant.name, from: values.from, dial: values.dial, at }, tenant))}\n`);
  return 0;
}

function parseAt(text: string | undefined): number {
  if (text === undefined) return Date.now();
  const dt = DateTime.fromISO(text, { setZone: true });
  if (!dt.isValid) throw new UsageError(`--at: "${text}" is not an ISO-8601 time (${dt.invalidExplanation ?? dt.invalidReason})`);
  return dt.toMillis();
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  if (e instanceof ConfigError) {
    process.stderr.write(`configuration error: ${e.message}\n`);
  } else if (e instanceof UsageError || e instanceof DomainError) {
    process.stderr.write(`error: ${e.message}\n${USAGE}\n`);
  } else if (e instanceof TypeError && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`error: ${e.message}\n${USAGE}\n`);
  } else {
    throw e;
  }
  process.exitCode = 2;
}
