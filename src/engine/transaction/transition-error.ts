/** A state machine was asked for a transition its RFC does not allow: a bug in the caller. */
export class IllegalTransitionError extends Error {
  readonly code = 'ENGINE_ILLEGAL_TRANSITION';

  constructor(
    readonly machine: string,
    readonly from: string,
    readonly to: string,
  ) {
    super(`${machine}: no transition from ${from} to ${to}`);
    this.name = 'IllegalTransitionError';
  }
}
