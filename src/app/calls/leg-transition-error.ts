/** A call leg was asked to move where its state machine does not go; a bug in the caller, never a SIP outcome. */
export class IllegalLegTransition extends Error {
  readonly code = 'ILLEGAL_LEG_TRANSITION';

  constructor(
    readonly leg: 'caller' | 'uac',
    readonly from: string,
    readonly to: string,
  ) {
    super(`${leg} leg: no transition from ${from} to ${to}`);
    this.name = 'IllegalLegTransition';
  }
}
