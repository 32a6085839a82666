import { ERRORS, errorMessage, type CodesOf } from '../../lib/errors.js';

/** The statuses a registrar failure ends as, each with its catalogue code. */
const CODE_BY_STATUS = {
  [ERRORS.REGISTRAR_STORE_BUSY.sipStatus]: ERRORS.REGISTRAR_STORE_BUSY.code,
  [ERRORS.REGISTRAR_STORE_UNAVAILABLE.sipStatus]: ERRORS.REGISTRAR_STORE_UNAVAILABLE.code,
} as const;

export type RegistrarStatus = keyof typeof CODE_BY_STATUS;

/** A registrar failure that ends as a SIP response with `status` (its specific reason phrase kept). */
export class RegistrarError extends Error {
  readonly code: CodesOf<'RegistrarError'>;
  constructor(
    readonly status: RegistrarStatus,
    readonly reasonPhrase: string,
    readonly headers: Record<string, string> = {},
    options?: { cause?: unknown },
  ) {
    super(errorMessage(CODE_BY_STATUS[status], { status, reason: reasonPhrase }), options);
    this.name = 'RegistrarError';
    this.code = CODE_BY_STATUS[status];
  }
}
