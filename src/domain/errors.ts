/** Base class of every error the pure domain raises; `code` is stable and machine-readable. */
export abstract class DomainError extends Error {
  abstract readonly code: string;
}

/** A dial-string pattern that cannot be compiled (e.g. `[9-2]`, `.` in the middle). */
export class DialPatternError extends DomainError {
  readonly code = 'DIAL_PATTERN_INVALID';
  constructor(
    readonly pattern: string,
    readonly position: number,
    readonly problem: string,
  ) {
    super(`dial string "${pattern}": ${problem} (at character ${position + 1})`);
    this.name = 'DialPatternError';
  }
}

/** A time-set period that cannot be parsed (e.g. hours `25-3`, day `funday`). */
export class TimeSetError extends DomainError {
  readonly code = 'TIME_SET_INVALID';
  constructor(
    readonly field: string,
    readonly value: string,
    readonly problem: string,
  ) {
    super(`${field} "${value}": ${problem}`);
    this.name = 'TimeSetError';
  }
}

/** The calling party named in a routing request is not a known extension or device. */
export class UnknownCallerError extends DomainError {
  readonly code = 'UNKNOWN_CALLER';
  constructor(
    readonly tenant: string,
    readonly caller: string,
    readonly problem: string,
  ) {
    super(`tenant ${tenant}: caller "${caller}": ${problem}`);
    this.name = 'UnknownCallerError';
  }
}

/** A block-list or NCOS entry that is not a valid shell pattern (e.g. `19[00`). */
export class ShellPatternError extends DomainError {
  readonly code = 'SHELL_PATTERN_INVALID';
  constructor(
    readonly pattern: string,
    readonly problem: string,
  ) {
    super(`pattern "${pattern}": ${problem}`);
    this.name = 'ShellPatternError';
  }
}
