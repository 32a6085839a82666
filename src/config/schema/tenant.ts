import { z } from 'zod';
import { NAMED_DIAL_STRING_SET_NAMES } from '../../domain/dialplan/named-sets.js';
import { DEFAULT_FAILOVER_ON, DEFAULT_NO_FAILOVER_ON } from '../../domain/routing/failover.js';
import { DEFAULT_RING_TIMEOUT_SECONDS } from '../../domain/routing/ring-timeout.js';
import { allOrList, dialString, digestAlgorithms, host, int, name, port, sipStatus, transport } from './primitives.js';

/** Tenant sections are strict: an unknown key is a typo until proven otherwise. */

/** Overrides the platform's `auth.algorithms` for a tenant or one extension. */
const authOverrideSchema = z.strictObject({ algorithms: digestAlgorithms });

const callerIdSchema = z.strictObject({
  name: z.string().optional(),
  number: dialString.optional(),
});

/** Shell patterns (`*`, `?`, `[..]`) of numbers [004]. */
export const numberListSchema = z.strictObject({
  mode: z.enum(['whitelist', 'blacklist']).default('blacklist'),
  patterns: z.array(z.string().min(1)).default([]),
});

const forwardSchema = z.strictObject({
  /** An extension of the tenant or a number (dialled with the forwarding extension's CoS), or `voicemail`: the extension's own mailbox. */
  to: dialString,
  /** Only while this time set of the tenant is active. */
  timeSet: name.optional(),
  /** Only for these callers (whitelist) or for all but these (blacklist): the caller's numbers as block lists see them. */
  callers: numberListSchema.optional(),
});

export const forwardsSchema = z.strictObject({
  unconditional: forwardSchema.optional(),
  busy: forwardSchema.optional(),
  noAnswer: forwardSchema.extend({ afterSeconds: int(1, 3600).optional() }).optional(),
  unavailable: forwardSchema.optional(),
});

/** Block lists of one level: the tenant's are the administrator's, an extension's the user's [004]. */
export const blockListsSchema = z.strictObject({
  incoming: numberListSchema.optional(),
  outgoing: numberListSchema.optional(),
  rejectAnonymous: z.boolean().default(false),
});

export const extensionSchema = z.strictObject({
  displayName: z.string().optional(),
  /** Required, except on hot-desk extensions (which own no device). */
  password: z.string().min(1).optional(),
  sharedDevices: int(1, 99).default(1),
  cos: name.default('default'),
  callerId: callerIdSchema.prefault({}),
  emergencyCallerId: callerIdSchema.optional(),
  hotDesk: z.strictObject({ pin: dialString }).optional(),
  auth: authOverrideSchema.optional(),
  /** How long a call to this extension rings before it ends (default: the tenant's). */
  ringTimeoutSeconds: int(1, 3600).optional(),
  /** Call forwarding [004]: unconditional, busy (or DND), no answer, unavailable (nothing registered). */
  forward: forwardsSchema.optional(),
  blockLists: blockListsSchema.optional(),
  /** NCOS levels of the tenant: the administrator's (applied first) and the user's choice. */
  ncos: z.strictObject({ admin: name.optional(), user: name.optional() }).optional(),
  /** Record every call this extension makes or receives (stereo WAV on the media server). */
  record: z.boolean().default(false),
  /** A mailbox: callers not answered within afterSeconds, busy or unreachable leave a message; `*97` with the PIN plays them. */
  voicemail: z.strictObject({ pin: z.string().regex(/^[0-9]{4,12}$/, 'a PIN is 4 to 12 digits'), afterSeconds: int(1, 3600).default(20) }).optional(),
});

export const cosSchema = z.strictObject({
  /** In precedence order, or `all` (every line of the tenant, in declaration order). */
  outgoingLines: allOrList.default([]),
  emergencyLines: z.array(name).default([]),
  bannedPrefixes: z.array(name).default([]),
  localExtensions: allOrList.default('all'),
  /** Feature codes. Safe default: none (DOMAIN §5, security). */
  services: allOrList.default([]),
  applications: allOrList.default([]),
  includes: z.array(name).default([]),
  schedule: name.optional(),
  pinCodes: z.array(dialString).default([]),
  hotDeskRestriction: z.strictObject({ cosIfNotLogged: name }).optional(),
  /** Record every call placed with this CoS (an included CoS's setting does not carry over). */
  record: z.boolean().default(false),
});

export const outgoingLineSchema = z.strictObject({
  groupId: int(0, 1_000_000).default(1),
  dialStrings: z.array(z.string().min(1)).default([]),
  dialStringSets: z.array(z.enum(NAMED_DIAL_STRING_SET_NAMES as [string, ...string[]])).default([]),
  accessCode: z.union([dialString, z.literal('')]).default(''),
  strip: int(0, 64).default(0),
  prefix: z.union([dialString, z.literal('')]).default(''),
  trunks: z.array(name).min(1, 'at least one trunk is required'),
  callerId: z
    .strictObject({
      name: z.string().optional(),
      number: dialString.optional(),
      force: z.boolean().default(false),
      presentation: z.enum(['allowed', 'restricted']).default('allowed'),
    })
    .prefault({}),
  pins: z.array(dialString).default([]),
});

export const destinationSchema = z.union(
  [z.strictObject({ hangup: sipStatus }), z.strictObject({ extension: dialString }), z.strictObject({ application: name }), z.strictObject({ huntGroup: name })],
  { error: 'expected one of {hangup: STATUS}, {extension: NUMBER}, {application: NAME}, {huntGroup: NAME}' },
);

export const bannedPrefixListSchema = z.strictObject({
  /** A space-separated string (as in [001]) or a list. */
  prefixes: z.union([z.string(), z.array(dialString)]),
  destination: destinationSchema.default({ hangup: 403 }),
});

export const emergencyLineSchema = z.strictObject({
  number: dialString.default('911'),
  numberToDial: dialString.optional(),
  trunks: z.array(name).min(1, 'at least one trunk is required'),
  record: z.boolean().default(false),
});

export const incomingLineSchema = z.strictObject({
  dnis: dialString,
  destination: destinationSchema,
  schedule: name.optional(),
  outsideSchedule: destinationSchema.optional(),
  cos: name.optional(),
});

const failoverStatusSchema = z.union([int(100, 699), z.enum(['4xx', '5xx', '6xx'])], {
  error: 'expected a SIP status (e.g. 503) or a class ("5xx")',
});

export const trunkSchema = z.strictObject({
  host,
  port: port.default(5060),
  transport: transport.default('udp'),
  credentials: z.strictObject({ username: z.string().min(1), password: z.string().min(1) }).optional(),
  trustedAddresses: z.array(z.string().min(1)).default([]),
  maxCalls: int(1, 1_000_000).optional(),
  trustDomain: z.boolean().default(true),
  failoverOn: z.array(failoverStatusSchema).default([...DEFAULT_FAILOVER_ON]),
  noFailoverOn: z.array(failoverStatusSchema).default([...DEFAULT_NO_FAILOVER_ON]),
  firstResponseTimeoutMs: int(100, 120_000).default(3000),
  /** OPTIONS qualify interval; 0 disables the watchdog for this trunk. */
  optionsPingIntervalSeconds: int(0, 86_400).default(30),
  /**
   * Outbound registration to the carrier [000]: `true` (3600 s, with `credentials`) or the
   * details; username/password default to `credentials`. The carrier's granted expiry wins.
   */
  register: z
    .union([
      z.boolean(),
      z.strictObject({
        expires: int(60, 86_400).default(3600),
        username: z.string().min(1).optional(),
        password: z.string().min(1).optional(),
      }),
    ])
    .optional(),
});

export const timePeriodSchema = z.strictObject({
  days: z.string().optional(),
  hours: z.string().optional(),
  minutes: z.string().optional(),
  months: z.string().optional(),
  monthDays: z.string().optional(),
});

export const timeSetSchema = z.strictObject({
  /** Default: the tenant's time zone. */
  timeZone: z.string().optional(),
  periods: z.array(timePeriodSchema).min(1, 'at least one period is required'),
});

export const featureSchema = z.strictObject({
  code: dialString,
  argument: z.boolean().default(false),
  enabled: z.boolean().default(true),
});

const ivrActionSchema = z.union(
  [z.strictObject({ extension: dialString }), z.strictObject({ menu: name }), z.strictObject({ hangup: z.union([name, z.literal(true)]) }), z.strictObject({ repeat: z.literal(true) })],
  { error: 'expected one of {extension: NUMBER}, {menu: APPLICATION}, {hangup: PROMPT or true}, {repeat: true}' },
);

/** An auto-attendant menu (kind ivr). Prompts are names of sounds/<language>/<name>.wav or paths. */
export const ivrMenuSchema = z.strictObject({
  prompts: z.array(z.string().min(1)).min(1, 'at least one prompt is required'),
  /** A digit (or `*`, `#`) → what it does. */
  options: z.record(z.string().regex(/^[0-9*#]$/, 'an option is one digit, "*" or "#"'), ivrActionSchema).default({}),
  /** Extensions callers may dial from the menu: `all`, a list, or none (the default). */
  dialExtensions: allOrList.default([]),
  timeoutSeconds: int(1, 60).default(5),
  digitTimeoutSeconds: int(1, 30).default(3),
  tries: int(1, 10).default(3),
  invalidPrompt: z.string().min(1).optional(),
  timeoutPrompt: z.string().min(1).optional(),
  onFailure: ivrActionSchema.default({ hangup: true }),
});

export const applicationSchema = z.strictObject({
  number: dialString,
  kind: z.enum(['ivr', 'conference', 'voicemail', 'recording', 'other']).default('other'),
  /** The application's own CoS (an IVR without one may only reach the extensions its menu names). */
  cos: name.optional(),
  menu: ivrMenuSchema.optional(),
});

export const huntGroupSchema = z.strictObject({
  number: dialString,
  /** Rung in this order, each member for its own seconds; the first answer wins. */
  members: z.array(z.strictObject({ to: dialString, seconds: int(1, 600) })).min(1, 'at least one member is required'),
  /** CoS that judges members which are numbers (default: none, so only extensions ring). */
  cos: name.optional(),
});

export const tenantLimitsSchema = z.strictObject({
  /** calls from carriers */
  inbound: int(1, 1_000_000).optional(),
  /** calls out through trunks */
  outbound: int(1, 1_000_000).optional(),
  /** inbound + outbound (a carrier call forwarded out holds one of each) */
  total: int(1, 1_000_000).optional(),
});

export const tenantSchema = z.strictObject({
  domain: z.string().min(1),
  /** Digest realm; default: the domain. */
  realm: z.string().min(1).optional(),
  auth: authOverrideSchema.optional(),
  /** How long a call to an extension rings (every device) before it ends 480, every leg cancelled. */
  ringTimeoutSeconds: int(1, 3600).default(DEFAULT_RING_TIMEOUT_SECONDS),
  timeZone: z.string().default('UTC'),
  /** Language of this tenant's prompts: `<media.soundsDir>/<language>/` (default: media.language). */
  language: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'a language is a directory name such as en or fr-ca')
    .optional(),
  extensions: z.record(z.string(), extensionSchema).default({}),
  cos: z.record(z.string(), cosSchema).default({}),
  outgoingLines: z.record(z.string(), outgoingLineSchema).default({}),
  bannedPrefixes: z.record(z.string(), bannedPrefixListSchema).default({}),
  emergencyLines: z.record(z.string(), emergencyLineSchema).default({}),
  incomingLines: z.record(z.string(), incomingLineSchema).default({}),
  trunks: z.record(z.string(), trunkSchema).default({}),
  timeSets: z.record(z.string(), timeSetSchema).default({}),
  /** Merged over the built-in catalogue (DEFAULT_FEATURE_CODES); `enabled: false` removes one. */
  features: z.record(z.string(), featureSchema).default({}),
  applications: z.record(z.string(), applicationSchema).default({}),
  /** The administrator's block lists, applied before every extension's own. */
  blockLists: blockListsSchema.optional(),
  /** Named NCOS levels (whitelist or blacklist of outgoing numbers), assigned per extension. */
  ncos: z.record(z.string(), numberListSchema).default({}),
  huntGroups: z.record(z.string(), huntGroupSchema).default({}),
  /** Night mode (`*28`): a PIN that must follow the code, e.g. `*284321`. */
  nightMode: z.strictObject({ pin: dialString.optional() }).optional(),
  /** Maximum concurrent calls of the tenant, across every instance (emergency calls excepted). */
  limits: tenantLimitsSchema.optional(),
});

export type RawTenant = z.infer<typeof tenantSchema>;
export type RawCos = z.infer<typeof cosSchema>;
export type RawOutgoingLine = z.infer<typeof outgoingLineSchema>;
export type RawDestination = z.infer<typeof destinationSchema>;
export type RawTrunk = z.infer<typeof trunkSchema>;
export type RawExtension = z.infer<typeof extensionSchema>;
export type RawNumberList = z.infer<typeof numberListSchema>;
export type RawBlockLists = z.infer<typeof blockListsSchema>;
export type RawIvrMenu = z.infer<typeof ivrMenuSchema>;
export type RawIvrAction = z.infer<typeof ivrActionSchema>;
