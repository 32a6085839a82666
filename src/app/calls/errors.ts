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

/** Reason phrases for the statuses this module sends itself. */
export const REASONS: Readonly<Record<number, string>> = {
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  480: 'Temporarily Unavailable',
  486: 'Busy Here',
  487: 'Request Terminated',
  433: 'Anonymity Disallowed',
  482: 'Loop Detected',
  484: 'Address Incomplete',
  488: 'Not Acceptable Here',
  500: 'Server Internal Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
  603: 'Decline',
};

export function reasonFor(status: number): string {
  return REASONS[status] ?? (status >= 600 ? 'Global Failure' : status >= 500 ? 'Server Error' : 'Request Failed');
}
