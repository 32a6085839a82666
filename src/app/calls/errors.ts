import { catalogued, errorMessage, type CodesOf } from '../../lib/errors.js';
import { reasonPhrase } from '../../sip/index.js';

/** A call that ends with a SIP status toward the caller; `code` is stable for logs and metrics. */
export class CallError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    readonly code: CodesOf<'CallError'>,
    message?: string,
  ) {
    super(message ?? errorMessage(catalogued('CallError', code), { status, reason }));
    this.name = 'CallError';
  }
}

/** The default reason phrase of a status this module sends itself (the shared table in src/sip). */
export function reasonFor(status: number): string {
  return reasonPhrase(status);
}
