import type { DialPattern } from './dialplan/pattern.js';
import type { NumberManipulation } from './dialplan/manipulation.js';
import type { TimeSet } from './schedule/time-set.js';
import type { ShellPattern } from './screening/shell-pattern.js';

/**
 * The compiled, cross-referenced configuration the domain works on. Built once at load by
 * src/config (which owns validation); every reference here is a direct object reference that is
 * known to exist. Everything is read-only at run time.
 */

export interface CallerId {
  readonly name?: string;
  readonly number?: string;
}

export interface Extension {
  readonly number: string;
  readonly displayName: string;
  readonly password?: string;
  /** Devices that may register as `100`, `100_2` ... `100_N` [002]. */
  readonly sharedDevices: number;
  readonly cos: CosDefinition;
  readonly callerId: CallerId;
  readonly emergencyCallerId?: CallerId;
  /** Present on hot-desk (guest) extensions: the PIN entered after `*22` and the extension. */
  readonly hotDeskPin?: string;
  /** Digest algorithms offered to this extension's devices, preferred first (overrides the tenant's). */
  readonly authAlgorithms?: readonly DigestAlgorithmName[];
  /** Ring time of calls to this extension; the tenant's when absent. */
  readonly ringTimeoutSeconds?: number;
  /** Configured call forwards (at most one per kind) [004]. */
  readonly forwards: readonly ForwardRule[];
  /** The user's block lists [004] (the tenant's administrator lists are applied first). */
  readonly blockLists?: CallScreening;
  /** NCOS levels assigned to this extension: administrator level, then user level [004]. */
  readonly ncos?: { readonly admin?: NcosLevel; readonly user?: NcosLevel };
  /** Every call this extension makes or receives is recorded. */
  readonly record: boolean;
  /** The extension's mailbox: PIN for `*97`, seconds of ringing before a caller is sent to it. */
  readonly voicemail?: { readonly pin: string; readonly afterSeconds: number };
}

/** Whitelist: only the entries pass. Blacklist: everything but the entries passes [004]. */
export interface NumberList {
  readonly mode: 'whitelist' | 'blacklist';
  readonly patterns: readonly ShellPattern[];
}

/** Serial hunting [004]: members rung one after the other, each for its own seconds. */
export interface HuntGroup {
  readonly name: string;
  /** Dialled like an extension (granted by a CoS's localExtensions). */
  readonly number: string;
  readonly members: readonly HuntMember[];
  /** Judges members that are numbers (outgoing legs); without it such members are skipped. */
  readonly cos?: CosDefinition;
}

export interface HuntMember {
  /** An extension (every device rings) or a number. */
  readonly to: string;
  readonly seconds: number;
}

export interface NcosLevel extends NumberList {
  readonly name: string;
}

/** Block lists of one level (tenant administrator, or an extension's user) [004]. */
export interface CallScreening {
  /** Who may call in (the caller's number). */
  readonly incoming?: NumberList;
  /** Which numbers may be called out (the dialled and the manipulated number). */
  readonly outgoing?: NumberList;
  /** Refuse callers who withhold their number (From anonymous or Privacy: id). */
  readonly rejectAnonymous: boolean;
}

/** When a call to an extension is deflected [004], DOMAIN §7. */
export type ForwardKind = 'unconditional' | 'busy' | 'noAnswer' | 'unavailable';

export interface ForwardRule {
  readonly kind: ForwardKind;
  /** An extension of the tenant or a number, dialled with the FORWARDER's CoS; or `voicemail` (the forwarder's mailbox). */
  readonly to: string;
  /** Only while this time set is active. */
  readonly timeSet?: TimeSet;
  /** noAnswer: ring this long first (default: the extension's ring timeout). */
  readonly afterSeconds?: number;
  /** Only callers this list lets through are forwarded (a source set); the others ring the extension as if there were no such forward. */
  readonly callers?: NumberList;
}

/** What the tenant's feature codes change (night mode), kept in the state store. */
export interface TenantSettings {
  /** Incoming lines take their `outsideSchedule` destination whatever their schedule says. */
  readonly nightMode: boolean;
}

/** What a user changes with feature codes (kept in the state store, shared by every instance). */
export interface ExtensionSettings {
  /** Do not disturb: the extension is busy to every caller (CFB applies). */
  readonly dnd: boolean;
  /** Unconditional forward set with `*72<number>`; wins over a configured one. */
  readonly forwardTo?: string;
  /** The mailbox's own greeting, recorded through `*97` (a WAV on the media server). */
  readonly voicemailGreeting?: string;
}

export type DigestAlgorithmName = 'SHA-256' | 'MD5';

export type AllOrList = { readonly all: true } | { readonly all: false; readonly names: ReadonlySet<string> };

export interface CosDefinition {
  readonly name: string;
  /** `all` expands to every outgoing line of the tenant, in declaration order. */
  readonly outgoingLines: 'all' | readonly OutgoingLine[];
  readonly emergencyLines: readonly EmergencyLine[];
  readonly bannedPrefixLists: readonly BannedPrefixList[];
  readonly localExtensions: AllOrList;
  readonly services: AllOrList;
  readonly applications: AllOrList;
  readonly includes: readonly CosDefinition[];
  /** When set, this CoS (and what it includes) grants nothing outside the time set. */
  readonly schedule?: TimeSet;
  /** "Set Class of Service by PIN code": dialling with one of these PINs adds this CoS. */
  readonly pinCodes: readonly string[];
  /** Hot-desk restriction: when no hot-desk user is logged in, this CoS is added to the phone's. */
  readonly hotDeskRestriction?: { readonly cosIfNotLogged: CosDefinition };
  /** Calls placed with this CoS are recorded. */
  readonly record: boolean;
}

export type Presentation = 'allowed' | 'restricted';

export interface LineCallerId extends CallerId {
  /** Use the line's caller ID even when the extension has its own. */
  readonly force: boolean;
  /** `restricted` makes every call on the line anonymous (the `*67` lines of [001]). */
  readonly presentation: Presentation;
}

export interface OutgoingLine {
  readonly name: string;
  readonly groupId: number;
  /** Source dial strings (custom ones and those of named sets), for display. */
  readonly dialStrings: readonly string[];
  /** Compiled with the access code in front. */
  readonly patterns: readonly DialPattern[];
  readonly manipulation: NumberManipulation;
  readonly trunks: readonly Trunk[];
  readonly callerId: LineCallerId;
  /** Authentication codes: when non-empty a call needs one of them before it reaches a trunk. */
  readonly pins: readonly string[];
}

export type Destination =
  | { readonly kind: 'hangup'; readonly status: number }
  | { readonly kind: 'extension'; readonly extension: string }
  | { readonly kind: 'application'; readonly application: string }
  | { readonly kind: 'huntGroup'; readonly group: string };

export interface BannedPrefixList {
  readonly name: string;
  readonly prefixes: readonly string[];
  /** Where a banned call goes; default hang-up with 403. */
  readonly destination: Destination;
}

export interface EmergencyLine {
  readonly name: string;
  /** What the extension dials, e.g. `911`. */
  readonly number: string;
  /** What the trunk receives (default: the same). */
  readonly numberToDial: string;
  readonly trunks: readonly Trunk[];
  readonly record: boolean;
}

export type FailoverStatus = number | '4xx' | '5xx' | '6xx';

export interface Trunk {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly transport: 'udp' | 'tcp';
  readonly credentials?: { readonly username: string; readonly password: string };
  /** Source addresses (IPv4/IPv6 literals or IPv4 CIDR) trusted for inbound calls, never challenged. */
  readonly trustedAddresses: readonly string[];
  readonly maxCalls?: number;
  /** RFC 3325 trust domain: P-Asserted-Identity (even for anonymous calls) is sent to it. */
  readonly trustDomain: boolean;
  readonly failoverOn: readonly FailoverStatus[];
  readonly noFailoverOn: readonly FailoverStatus[];
  readonly firstResponseTimeoutMs: number;
  readonly optionsPingIntervalSeconds?: number;
  /** Outbound registration (AOR `sip:<username>@<host>`), credentials already defaulted. */
  readonly register?: { readonly expires: number; readonly username: string; readonly password?: string };
}

export interface FeatureCode {
  readonly name: string;
  readonly code: string;
  /** When true, `code` followed by more digits also matches, the rest being the argument (e.g. `*72` + number). */
  readonly argument: boolean;
}

export interface Application {
  readonly name: string;
  readonly number: string;
  readonly kind: 'ivr' | 'conference' | 'voicemail' | 'recording' | 'other';
  readonly cos?: CosDefinition;
  /** kind ivr: the auto-attendant menu. */
  readonly menu?: IvrMenu;
}

/** What a digit of an IVR menu does (DOMAIN §8, [003]). */
export type IvrAction =
  { readonly kind: 'extension'; readonly extension: string } | { readonly kind: 'menu'; readonly menu: string } | { readonly kind: 'hangup'; readonly prompt?: string } | { readonly kind: 'repeat' };

/** An auto-attendant menu: prompts, digit → action, dial-by-extension, retries; it dials with its own CoS. */
export interface IvrMenu {
  readonly prompts: readonly string[];
  readonly options: ReadonlyMap<string, IvrAction>;
  /** Extensions a caller may dial directly from the menu (judged with the menu's CoS). */
  readonly dialExtensions: AllOrList;
  readonly timeoutSeconds: number;
  readonly digitTimeoutSeconds: number;
  /** How many times the menu is offered before `onFailure`. */
  readonly tries: number;
  readonly invalidPrompt?: string;
  readonly timeoutPrompt?: string;
  readonly onFailure: IvrAction;
  /** The menu's CoS: configured, or a restricted one granting only the extensions it names. */
  readonly cos: CosDefinition;
}

export interface IncomingLine {
  readonly name: string;
  readonly dnis: string;
  readonly destination: Destination;
  readonly schedule?: TimeSet;
  /** Used outside the schedule (only meaningful with `schedule`). */
  readonly outsideSchedule?: Destination;
  readonly cos?: CosDefinition;
}

export interface Tenant {
  readonly name: string;
  readonly domain: string;
  readonly realm: string;
  /** Digest algorithms offered in this tenant, preferred first (overrides the platform's). */
  readonly authAlgorithms?: readonly DigestAlgorithmName[];
  /** Ring time of calls to an extension unless the extension sets its own. */
  readonly ringTimeoutSeconds: number;
  /** Language of the tenant's prompts (a directory under the sounds directory); default: the platform's. */
  readonly language?: string;
  /** The administrator's block lists, applied before every extension's own [004]. */
  readonly blockLists?: CallScreening;
  readonly ncosLevels: ReadonlyMap<string, NcosLevel>;
  readonly huntGroups: ReadonlyMap<string, HuntGroup>;
  /** `*28<pin>` toggles night mode; without a PIN configured the code alone does. */
  readonly nightModePin?: string;
  readonly extensions: ReadonlyMap<string, Extension>;
  readonly cos: ReadonlyMap<string, CosDefinition>;
  /** In declaration order (the order `outgoingLines: all` uses). */
  readonly outgoingLines: readonly OutgoingLine[];
  readonly bannedPrefixLists: ReadonlyMap<string, BannedPrefixList>;
  readonly emergencyLines: readonly EmergencyLine[];
  readonly incomingLines: ReadonlyMap<string, IncomingLine>;
  readonly trunks: ReadonlyMap<string, Trunk>;
  readonly timeSets: ReadonlyMap<string, TimeSet>;
  readonly features: readonly FeatureCode[];
  readonly applications: ReadonlyMap<string, Application>;
  /** Maximum concurrent calls (inbound from carriers, outbound through trunks, both). */
  readonly limits?: TenantLimits;
}

export interface TenantLimits {
  readonly inbound?: number;
  readonly outbound?: number;
  readonly total?: number;
}
