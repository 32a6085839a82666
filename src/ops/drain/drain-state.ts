import { ERRORS, errorMessage } from '../../lib/errors.js';

/** Where the product is in its life: serving, draining (no new calls), or stopping. */
export enum DrainState {
  Serving = 'serving',
  Draining = 'draining',
  Stopping = 'stopping',
}

const allowed: Readonly<Record<DrainState, readonly DrainState[]>> = {
  [DrainState.Serving]: [DrainState.Draining, DrainState.Stopping],
  [DrainState.Draining]: [DrainState.Stopping],
  [DrainState.Stopping]: [],
};

export class DrainTransitionError extends Error {
  readonly code = ERRORS.DRAIN_ILLEGAL_TRANSITION.code;
  constructor(
    readonly from: DrainState,
    readonly to: DrainState,
  ) {
    super(errorMessage('DRAIN_ILLEGAL_TRANSITION', { from, to }));
    this.name = 'DrainTransitionError';
  }
}

/** The state with its only legal moves; anything else throws DrainTransitionError. */
export class DrainStateMachine {
  private current = DrainState.Serving;

  get state(): DrainState {
    return this.current;
  }

  can(to: DrainState): boolean {
    return allowed[this.current].includes(to);
  }

  moveTo(to: DrainState): void {
    if (!this.can(to)) throw new DrainTransitionError(this.current, to);
    this.current = to;
  }
}
