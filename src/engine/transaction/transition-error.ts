import { ERRORS, errorMessage } from '../../lib/errors.js';

/** A state machine was asked for a transition its RFC does not allow: a bug in the caller. */
export class IllegalTransitionError extends Error {
  readonly code = ERRORS.ENGINE_ILLEGAL_TRANSITION.code;

  constructor(
    readonly machine: string,
    readonly from: string,
    readonly to: string,
  ) {
    super(errorMessage('ENGINE_ILLEGAL_TRANSITION', { machine, from, to }));
    this.name = 'IllegalTransitionError';
  }
}
