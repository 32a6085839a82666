import type { Logger } from 'pino';
import type { AppContext } from '../../app/context.js';
import type { CallRecord } from '../../app/calls/call-record.js';
import { callServices } from '../../app/calls/services.js';
import { JsonLinesFile } from './cdr-file.js';
import { toCdr } from './cdr.js';

/** Trunk names of the record's tenant, to tell trunk attempts from device legs. */
export function trunkNamesOf(ctx: AppContext, r: Readonly<CallRecord>): ReadonlySet<string> {
  return new Set(r.tenant === undefined ? [] : ctx.config.tenants.get(r.tenant)?.trunks.keys());
}

/** Writes one CDR per finished call to `cdr.file` when configured; undefined otherwise. */
export function startCdrFile(ctx: AppContext, log: Logger): JsonLinesFile | undefined {
  const { file, maxBytes, keep } = ctx.config.cdr;
  if (file === undefined) return undefined;
  const out = new JsonLinesFile(file, maxBytes, keep, (err) => log.error({ err: String(err), file }, 'call record not written'));
  callServices(ctx).callListeners.push((r) => out.append(toCdr(r, trunkNamesOf(ctx, r))));
  return out;
}
