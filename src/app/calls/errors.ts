import { reasonPhrase } from '../../sip/index.js';

/** A call that ends with a SIP status toward the caller; `code` is stable for logs and metrics. */
export class CallError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    readonly code: 'LATE_OFFER' | 'NO_ROUTE',
    message?: string,
  ) {
    super(message ?? `${status} ${reason}`);
    this.name = 'CallError';
  }
}

/** The default reason phrase of a status this module sends itself (the shared table in src/sip). */
export function reasonFor(status: number): string {
  return reasonPhrase(status);
}
