/** States of one trunk's outbound registration (DOMAIN §6). */
export enum RegistrationState {
  /** not started */
  Idle = 'idle',
  /** another instance holds the trunk's lease and registers; this one waits to take over */
  Standby = 'standby',
  /** a REGISTER is in flight */
  Registering = 'registering',
  /** the carrier accepted; a refresh is scheduled before expiry */
  Registered = 'registered',
  /** the last REGISTER failed; a retry is scheduled with back-off */
  Failed = 'failed',
  /** the REGISTER with Expires: 0 of a shutdown is in flight */
  Unregistering = 'unregistering',
  Stopped = 'stopped',
}

export type RegistrationEvent =
  | { readonly type: 'lease'; readonly held: boolean }
  | { readonly type: 'accepted' }
  | { readonly type: 'rejected' }
  | { readonly type: 'timer' }
  | { readonly type: 'stop' }
  | { readonly type: 'done' };

const S = RegistrationState;

/**
 * The one guarded transition function: the next state, or undefined when the event means nothing
 * in this state (a late answer, a timer of a state already left) and must be ignored.
 */
export function nextRegistrationState(state: RegistrationState, event: RegistrationEvent): RegistrationState | undefined {
  switch (state) {
    case S.Idle:
    case S.Standby:
      if (event.type === 'lease') return event.held ? S.Registering : S.Standby;
      if (event.type === 'stop') return S.Stopped;
      return undefined;
    case S.Registering:
      if (event.type === 'accepted') return S.Registered;
      if (event.type === 'rejected') return S.Failed;
      if (event.type === 'lease' && !event.held) return S.Standby;
      if (event.type === 'stop') return S.Stopped;
      return undefined;
    case S.Registered:
      if (event.type === 'timer') return S.Registering;
      if (event.type === 'lease' && !event.held) return S.Standby;
      if (event.type === 'stop') return S.Unregistering;
      return undefined;
    case S.Failed:
      if (event.type === 'timer') return S.Registering;
      if (event.type === 'lease' && !event.held) return S.Standby;
      if (event.type === 'stop') return S.Stopped;
      return undefined;
    case S.Unregistering:
      if (event.type === 'done' || event.type === 'accepted' || event.type === 'rejected') return S.Stopped;
      return undefined;
    case S.Stopped:
      return undefined;
  }
}

/** Refresh at 90% of the granted expiry (3600 s → after 3240 s), at least 1 s after the answer. */
export function refreshDelayMs(grantedSeconds: number): number {
  return Math.max(1000, Math.floor(grantedSeconds * 900));
}

/** Back-off after the n-th consecutive failure (n ≥ 1): base · 2^(n-1), at most `maxMs`. */
export function retryDelayMs(failures: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(30, failures - 1)));
}
