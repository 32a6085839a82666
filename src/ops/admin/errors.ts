import { catalogued, errorMessage, type CodesOf } from '../../lib/errors.js';

/** Stable error codes of the admin API, from the catalogue; the body is `{ error: { code, message } }`. */
export type AdminErrorCode = CodesOf<'AdminError'>;

export class AdminError extends Error {
  readonly status: number;
  constructor(
    readonly code: AdminErrorCode,
    message: string,
    /** seconds, for 429 and 503 */
    readonly retryAfter?: number,
  ) {
    const entry = catalogued('AdminError', code);
    super(errorMessage(entry, { message }));
    this.name = 'AdminError';
    this.status = entry.httpStatus!;
  }
}
