import { ERRORS, errorMessage } from '../lib/errors.js';

/** Base class of every error the pure domain raises; `code` is stable and machine-readable. */
export abstract class DomainError extends Error {
  abstract readonly code: string;
}

/** A dial-string pattern that cannot be compiled (e.g. `[9-2]`, `.` in the middle). */
export class DialPatternError extends DomainError {
  readonly code = ERRORS.DIAL_PATTERN_INVALID.code;
  constructor(
    readonly pattern: string,
    readonly position: number,
    readonly problem: string,
  ) {
    super(errorMessage('DIAL_PATTERN_INVALID', { pattern, problem, position: position + 1 }));
    this.name = 'DialPatternError';
  }
}

/** A time-set period that cannot be parsed (e.g. hours `25-3`, day `funday`). */
export class TimeSetError extends DomainError {
  readonly code = ERRORS.TIME_SET_INVALID.code;
  constructor(
    readonly field: string,
    readonly value: string,
    readonly problem: string,
  ) {
    super(errorMessage('TIME_SET_INVALID', { field, value, problem }));
    this.name = 'TimeSetError';
  }
}

/** The calling party named in a routing request is not a known extension or device. */
export class UnknownCallerError extends DomainError {
  readonly code = ERRORS.UNKNOWN_CALLER.code;
  constructor(
    readonly tenant: string,
    readonly caller: string,
    readonly problem: string,
  ) {
    super(errorMessage('UNKNOWN_CALLER', { tenant, caller, problem }));
    this.name = 'UnknownCallerError';
  }
}

/** A block-list or NCOS entry that is not a valid shell pattern (e.g. `19[00`). */
export class ShellPatternError extends DomainError {
  readonly code = ERRORS.SHELL_PATTERN_INVALID.code;
  constructor(
    readonly pattern: string,
    readonly problem: string,
  ) {
    super(errorMessage('SHELL_PATTERN_INVALID', { pattern, problem }));
    this.name = 'ShellPatternError';
  }
}
