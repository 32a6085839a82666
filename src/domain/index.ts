/** Public surface of the routing domain (pure: no I/O). */
export * from './errors.js';
export type * from './model.js';
export { compileDialPattern, type DialPattern, type DialTail } from './dialplan/pattern.js';
export { patternCovers } from './dialplan/inclusion.js';
export { manipulateNumber, type NumberManipulation } from './dialplan/manipulation.js';
export { NAMED_DIAL_STRING_SETS, type NamedDialStringSet } from './dialplan/named-sets.js';
export {
  emergencyCallerId,
  outgoingCallerId,
  outgoingIdentityHeaders,
  type IdentitySource,
  type OutgoingIdentityHeaders,
  type PresentedIdentity,
  type SipIdentityParts,
} from './dialplan/caller-id.js';
export { DEFAULT_FEATURE_CODES } from './feature-codes.js';
export { resolveEffectiveCos } from './cos/resolve.js';
export { grants, type EffectiveCos, type Grant } from './cos/effective-cos.js';
export { compileTimeSet, isTimeSetActive, type TimeSet, type TimePeriodSpec } from './schedule/time-set.js';
export {
  cosRoots,
  emergencyIdentity,
  isServiceCaller,
  presentingExtension,
  resolveCaller,
  resolveDevice,
  type CallingParty,
  type DeviceIdentity,
  type RouteCaller,
  type ServiceCaller,
} from './routing/caller.js';
export { decideRoute, type RouteRequest } from './routing/decide.js';
export type * from './routing/decision.js';
export { deviceUsernames, resolveExtensionTarget, type ExtensionTarget } from './routing/extension-target.js';
export { DEFAULT_RING_TIMEOUT_SECONDS, ringTimeoutSeconds } from './routing/ring-timeout.js';
export { chooseForward, NO_SETTINGS, type ChosenForward } from './forwarding/choose-forward.js';
export { judgeForward, MAX_FORWARD_HOPS, VOICEMAIL_TARGET, type ForwardJudgement } from './forwarding/judge-forward.js';
export { screenIncoming, screenOutgoing, type IncomingCaller, type Refusal } from './screening/screen.js';
export { compileShellPattern, type ShellPattern } from './screening/shell-pattern.js';
export { chooseMenuOption, maxMenuDigits, type MenuChoice } from './ivr/menu-choice.js';
export { findIncomingLine, routeIncoming, type IncomingDecision } from './routing/incoming.js';
export { DEFAULT_FAILOVER_ON, DEFAULT_NO_FAILOVER_ON, shouldFailover, type TrunkAttemptOutcome } from './routing/failover.js';
export { addressMatches, findTrustedSource, type TrustedSource } from './routing/trunk-source.js';
export { HOT_DESK_LOGIN_TRIES, HOT_DESK_SESSION_SECONDS, verifyHotDeskLogin } from './routing/hot-desk.js';
export { recordReason, type RecordReason } from './recording/record-rule.js';
