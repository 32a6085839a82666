/** Stable error codes of the admin API; the body is `{ error: { code, message } }`. */
export type AdminErrorCode = 'unauthorized' | 'rate-limited' | 'not-found' | 'bad-request' | 'config-invalid' | 'unavailable';

const STATUS: Record<AdminErrorCode, number> = {
  unauthorized: 401,
  'rate-limited': 429,
  'not-found': 404,
  'bad-request': 400,
  'config-invalid': 422,
  unavailable: 503,
};

export class AdminError extends Error {
  readonly status: number;
  constructor(
    readonly code: AdminErrorCode,
    message: string,
    /** seconds, for 429 and 503 */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'AdminError';
    this.status = STATUS[code];
  }
}
