import { EventBus } from './event-bus.js';

/** A call as the live view shows it (field names as in the admin API's call list). */
export interface LiveCallView {
  callId: string;
  tenant?: string;
  direction: 'device' | 'carrier';
  caller: string;
  callerExtension?: string;
  dialled: string;
  state: 'setup' | 'answered' | 'ended';
  startedAt: string;
  answeredAt?: string;
  endedAt?: string;
  finalStatus?: number;
  hangupSide?: 'caller' | 'callee' | 'admin';
}

/** One device binding as the live view shows it (no credentials: a binding has none). */
export interface RegistrationView {
  tenant: string;
  extension: string;
  deviceUser: string;
  bindingId: string;
  contact?: string;
  source?: { address: string; port: number; transport: string };
  userAgent?: string;
  expiresAt?: string;
}

/** What changes on this instance, as the dashboard's event stream carries it. */
export type AppEvent =
  | ({ type: 'registration.added'; refreshed: boolean } & RegistrationView)
  /** `register`: a REGISTER removed it (expires=0, `Contact: *`, or room made for a newer contact); `admin`: the admin API */
  | ({ type: 'registration.removed'; reason: 'register' | 'admin' } & RegistrationView)
  | ({ type: 'registration.expired' } & RegistrationView)
  | { type: 'call.started'; call: LiveCallView }
  | { type: 'call.answered'; call: LiveCallView }
  | { type: 'call.ended'; call: LiveCallView }
  | { type: 'trunk.changed'; tenant: string; trunk: string; health: string; changedAt: string; detail?: string }
  | { type: 'ban.added'; address: string; failures: number; bannedAt: string; until: string }
  | { type: 'ban.lifted'; address: string };

export type AppEventType = AppEvent['type'];

export class AppEvents extends EventBus<AppEvent> {}
