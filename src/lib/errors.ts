// The catalogue of the product's typed errors: every stable code once, with the class that carries
// it, its message template and, where the error ends as a response, its SIP or HTTP status.
// Error classes take their code, message and status from here; a unit test keeps it that way.
//
// `code` is what the error carries and what logs, metrics, API bodies and tests match on, so it
// never changes. Most codes are the entry's own key; two families keep the lower-case codes they
// were published with (the admin API's bodies, the location store's), and so share 'unavailable':
// a code is unique among the errors of one class, an entry's key across the catalogue.

export interface ErrorSpec {
  /** the error class carrying this code */
  readonly owner: string;
  readonly code: string;
  /** `{name}` is replaced by the field of that name */
  readonly message: string;
  /** the status of the SIP response this error ends as */
  readonly sipStatus?: number;
  /** the status of the HTTP response this error ends as */
  readonly httpStatus?: number;
}

export const ERRORS = {
  // src/domain
  DIAL_PATTERN_INVALID: { owner: 'DialPatternError', code: 'DIAL_PATTERN_INVALID', message: 'dial string "{pattern}": {problem} (at character {position})' },
  TIME_SET_INVALID: { owner: 'TimeSetError', code: 'TIME_SET_INVALID', message: '{field} "{value}": {problem}' },
  UNKNOWN_CALLER: { owner: 'UnknownCallerError', code: 'UNKNOWN_CALLER', message: 'tenant {tenant}: caller "{caller}": {problem}' },
  SHELL_PATTERN_INVALID: { owner: 'ShellPatternError', code: 'SHELL_PATTERN_INVALID', message: 'pattern "{pattern}": {problem}' },

  // src/config
  CONFIG_INVALID: { owner: 'ConfigError', code: 'CONFIG_INVALID', message: '{problems}' },
  CONFIG_PROBLEM: { owner: 'ConfigProblemAt', code: 'CONFIG_PROBLEM', message: '{key}: {problem}' },
  CONFIG_YAML_SYNTAX: { owner: 'YamlSyntaxError', code: 'CONFIG_YAML_SYNTAX', message: '{problem}' },

  // src/app
  NO_ROUTE: { owner: 'CallError', code: 'NO_ROUTE', message: '{status} {reason}', sipStatus: 404 },
  LATE_OFFER: { owner: 'CallError', code: 'LATE_OFFER', message: '{status} {reason}', sipStatus: 488 },
  ILLEGAL_LEG_TRANSITION: { owner: 'IllegalLegTransition', code: 'ILLEGAL_LEG_TRANSITION', message: '{leg} leg: no transition from {from} to {to}' },
  REGISTRAR_STORE_BUSY: { owner: 'RegistrarError', code: 'REGISTRAR_STORE_BUSY', message: '{status} {reason}', sipStatus: 500 },
  REGISTRAR_STORE_UNAVAILABLE: { owner: 'RegistrarError', code: 'REGISTRAR_STORE_UNAVAILABLE', message: '{status} {reason}', sipStatus: 503 },

  // src/store
  LOCATION_STORE_UNAVAILABLE: { owner: 'LocationStoreError', code: 'unavailable', message: '{message}' },
  LOCATION_STORE_CORRUPT_RECORD: { owner: 'LocationStoreError', code: 'corrupt-record', message: '{message}' },
  LOCATION_STORE_BUFFER_FULL: { owner: 'LocationStoreError', code: 'buffer-full', message: '{message}' },
  LOCATION_STORE_CONFLICT: { owner: 'LocationStoreConflict', code: 'LOCATION_STORE_CONFLICT', message: 'the device bindings changed since they were read' },

  // src/ops
  ADMIN_UNAUTHORIZED: { owner: 'AdminError', code: 'unauthorized', message: '{message}', httpStatus: 401 },
  ADMIN_RATE_LIMITED: { owner: 'AdminError', code: 'rate-limited', message: '{message}', httpStatus: 429 },
  ADMIN_NOT_FOUND: { owner: 'AdminError', code: 'not-found', message: '{message}', httpStatus: 404 },
  ADMIN_BAD_REQUEST: { owner: 'AdminError', code: 'bad-request', message: '{message}', httpStatus: 400 },
  ADMIN_CONFIG_INVALID: { owner: 'AdminError', code: 'config-invalid', message: '{message}', httpStatus: 422 },
  ADMIN_UNAVAILABLE: { owner: 'AdminError', code: 'unavailable', message: '{message}', httpStatus: 503 },
  MEDIA_START_FAILED: { owner: 'MediaStartError', code: 'MEDIA_START_FAILED', message: 'the media server did not start: {reason}' },
  DRAIN_ILLEGAL_TRANSITION: { owner: 'DrainTransitionError', code: 'DRAIN_ILLEGAL_TRANSITION', message: 'cannot go from {from} to {to}' },
  ROUTE_CLI_USAGE: { owner: 'UsageError', code: 'ROUTE_CLI_USAGE', message: '{problem}' },

  // src/engine
  ENGINE_START_FAILED: { owner: 'EngineStartError', code: 'ENGINE_START_FAILED', message: 'the SIP engine did not start: {reason}' },
  ENGINE_ILLEGAL_TRANSITION: { owner: 'IllegalTransitionError', code: 'ENGINE_ILLEGAL_TRANSITION', message: '{machine}: no transition from {from} to {to}' },
  ENGINE_CLI_USAGE: { owner: 'CliError', code: 'ENGINE_CLI_USAGE', message: '{problem}' },
  ENGINE_WIRE_FRAME: { owner: 'FrameError', code: 'ENGINE_WIRE_FRAME', message: '{problem}' },
  ENGINE_APP_COMMAND_REJECTED: { owner: 'AppCommandError', code: 'ENGINE_APP_COMMAND_REJECTED', message: '{problem}' },
  TLS_FILE_UNUSABLE: { owner: 'TlsFileError', code: 'TLS_FILE_UNUSABLE', message: 'TLS {role} {file}: {why}' },

  // src/media
  MEDIA_BAD_FLAG: { owner: 'MediaError', code: 'MEDIA_BAD_FLAG', message: '{code}: {problem}' },
  MEDIA_BIND_FAILED: { owner: 'MediaError', code: 'MEDIA_BIND_FAILED', message: '{code}: {problem}' },
  MEDIA_NO_RTP_PORT: { owner: 'MediaError', code: 'MEDIA_NO_RTP_PORT', message: '{code}: {problem}' },
  MEDIA_BAD_SDP: { owner: 'MediaError', code: 'MEDIA_BAD_SDP', message: '{code}: {problem}' },
  MEDIA_NO_COMMON_CODEC: { owner: 'MediaError', code: 'MEDIA_NO_COMMON_CODEC', message: '{code}: {problem}' },
  MEDIA_BAD_WAV: { owner: 'MediaError', code: 'MEDIA_BAD_WAV', message: '{code}: {problem}' },
  MEDIA_FILE_NOT_FOUND: { owner: 'MediaError', code: 'MEDIA_FILE_NOT_FOUND', message: '{code}: {problem}' },
  MEDIA_ESL_FRAME: { owner: 'MediaError', code: 'MEDIA_ESL_FRAME', message: '{code}: {problem}' },
  MEDIA_BAD_TRANSITION: { owner: 'MediaError', code: 'MEDIA_BAD_TRANSITION', message: '{code}: {problem}' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorId = keyof typeof ERRORS;
type Entry = (typeof ERRORS)[ErrorId];

/** The codes an error class carries: `CodesOf<'AdminError'>` is `'unauthorized' | 'rate-limited' | …`. */
export type CodesOf<Owner extends string> = Extract<Entry, { owner: Owner }>['code'];

export type ErrorFields = Readonly<Record<string, string | number>>;

/** The message of an entry (by key, or the entry itself) with its `{name}` fields filled in; a missing field stays as written. */
export function errorMessage(entry: ErrorId | ErrorSpec, fields: ErrorFields = {}): string {
  const spec: ErrorSpec = typeof entry === 'string' ? ERRORS[entry] : entry;
  return spec.message.replace(/\{(\w+)\}/g, (all, name: string) => (name in fields ? String(fields[name]) : all));
}

/** The entry of class `owner` with `code`; undefined when the catalogue has none. */
export function entryOf(owner: string, code: string): ErrorSpec | undefined {
  for (const e of Object.values(ERRORS) as ErrorSpec[]) if (e.owner === owner && e.code === code) return e;
  return undefined;
}

/** The entry of a code the types guarantee is catalogued (for classes whose code is a constructor argument). */
export function catalogued<O extends string>(owner: O, code: CodesOf<O>): ErrorSpec {
  const e = entryOf(owner, code);
  if (e === undefined) throw new TypeError(`${owner} code ${String(code)} is not in the error catalogue`);
  return e;
}
