import { ERRORS, errorMessage } from '../../lib/errors.js';

/** A call leg was asked to move where its state machine does not go; a bug in the caller, never a SIP outcome. */
export class IllegalLegTransition extends Error {
  readonly code = ERRORS.ILLEGAL_LEG_TRANSITION.code;

  constructor(
    readonly leg: 'caller' | 'uac' | 'transfer' | 'anchor',
    readonly from: string,
    readonly to: string,
  ) {
    super(errorMessage('ILLEGAL_LEG_TRANSITION', { leg, from, to }));
    this.name = 'IllegalLegTransition';
  }
}
