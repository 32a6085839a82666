import type { PresentedIdentity } from '../dialplan/caller-id.js';
import type { Application } from '../model.js';

/** Which step of DOMAIN §5 decided, and why, in words an administrator can act on. */
export interface RouteRule {
  readonly step: 'emergency' | 'banned-prefix' | 'feature' | 'local-extension' | 'hunt-group' | 'application' | 'outgoing-line' | 'line-pin' | 'block-list' | 'ncos' | 'no-match';
  readonly detail: string;
  /** The CoS objects whose union applied, in precedence order. */
  readonly cos: readonly string[];
  readonly bannedPrefix?: string;
  readonly bannedList?: string;
  /** Tenant lines whose dial string matches but which the CoS does not grant. */
  readonly skippedLines?: readonly string[];
}

export type RejectReason =
  'banned-prefix' | 'feature-not-in-cos' | 'extension-not-in-cos' | 'application-not-in-cos' | 'line-not-in-cos' | 'pin-required' | 'wrong-pin' | 'blocked-outgoing' | 'ncos-refused' | 'no-route';

export interface EmergencyRoute {
  readonly action: 'emergency';
  readonly line: string;
  /** As sent to the trunk (the emergency line's number to dial). */
  readonly number: string;
  readonly trunks: readonly string[];
  readonly record: boolean;
  readonly callerId: PresentedIdentity;
  readonly privacy: false;
  readonly rule: RouteRule;
}

export interface FeatureRoute {
  readonly action: 'feature';
  readonly feature: string;
  readonly code: string;
  /** Digits after the code, for features that take one (e.g. a forward target); else empty. */
  readonly argument: string;
  readonly rule: RouteRule;
}

export interface LocalRoute {
  readonly action: 'local';
  readonly extension: string;
  readonly rule: RouteRule;
}

export interface HuntGroupRoute {
  readonly action: 'huntGroup';
  readonly group: string;
  readonly rule: RouteRule;
}

export interface ApplicationRoute {
  readonly action: 'application';
  readonly application: string;
  readonly kind: Application['kind'];
  readonly rule: RouteRule;
}

export interface OutboundRoute {
  readonly action: 'outbound';
  readonly line: string;
  readonly groupId: number;
  /** The manipulated number, as sent to the trunk. */
  readonly number: string;
  /** In failover order. */
  readonly trunks: readonly string[];
  readonly callerId: PresentedIdentity;
  /** Anonymous call: From anonymous, `Privacy: id`, identity only in P-Asserted-Identity to trusted trunks. */
  readonly privacy: boolean;
  readonly rule: RouteRule;
}

export interface Rejection {
  readonly action: 'reject';
  readonly status: number;
  readonly reason: RejectReason;
  readonly rule: RouteRule;
}

export type RouteDecision = EmergencyRoute | FeatureRoute | HuntGroupRoute | LocalRoute | ApplicationRoute | OutboundRoute | Rejection;
