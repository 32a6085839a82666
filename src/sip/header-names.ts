// Header-name normalisation: compact forms, case-insensitive keys, canonical spelling.

const COMPACT: Readonly<Record<string, string>> = {
  v: 'via',
  f: 'from',
  t: 'to',
  i: 'call-id',
  m: 'contact',
  l: 'content-length',
  c: 'content-type',
  k: 'supported',
  s: 'subject',
  e: 'content-encoding',
  o: 'event',
  r: 'refer-to',
  b: 'referred-by',
  u: 'allow-events',
  x: 'session-expires',
  a: 'accept-contact',
  j: 'reject-contact',
  d: 'request-disposition',
  y: 'identity',
};

const CANONICAL: ReadonlyMap<string, string> = new Map(
  [
    'Via',
    'From',
    'To',
    'Call-ID',
    'CSeq',
    'Contact',
    'Content-Length',
    'Content-Type',
    'Max-Forwards',
    'WWW-Authenticate',
    'Proxy-Authenticate',
    'Authorization',
    'Proxy-Authorization',
    'Authentication-Info',
    'Record-Route',
    'Route',
    'Supported',
    'Require',
    'Proxy-Require',
    'Unsupported',
    'Allow',
    'Allow-Events',
    'Event',
    'Subject',
    'Content-Encoding',
    'Content-Disposition',
    'Content-Language',
    'Refer-To',
    'Referred-By',
    'Session-Expires',
    'Min-SE',
    'Accept-Contact',
    'Reject-Contact',
    'Request-Disposition',
    'Identity',
    'Identity-Info',
    'Expires',
    'Min-Expires',
    'User-Agent',
    'Server',
    'Accept',
    'Accept-Encoding',
    'Accept-Language',
    'Alert-Info',
    'Call-Info',
    'Date',
    'Error-Info',
    'In-Reply-To',
    'MIME-Version',
    'Organization',
    'Priority',
    'Reply-To',
    'Retry-After',
    'Timestamp',
    'Warning',
    'RAck',
    'RSeq',
    'P-Asserted-Identity',
    'P-Preferred-Identity',
    'Path',
    'Service-Route',
    'Subscription-State',
    'Replaces',
    'Reason',
    'Privacy',
    'SIP-ETag',
    'SIP-If-Match',
    'Diversion',
    'History-Info',
    'Remote-Party-ID',
    'Refer-Sub',
    'Target-Dialog',
    'Security-Client',
    'Security-Server',
    'Security-Verify',
    'Geolocation',
  ].map((n) => [n.toLowerCase(), n]),
);

// Values of these headers may contain top-level commas that are not list separators.
const NOT_LIST: ReadonlySet<string> = new Set([
  'www-authenticate',
  'authorization',
  'proxy-authenticate',
  'proxy-authorization',
  'authentication-info',
  'date',
  'retry-after',
  'call-id',
  'cseq',
  'from',
  'to',
  'subject',
  'user-agent',
  'server',
  'organization',
  'timestamp',
  'max-forwards',
  'content-length',
  'content-type',
  'expires',
  'min-expires',
  'priority',
  'mime-version',
  'reply-to',
  'refer-to',
  'referred-by',
  'content-disposition',
  'identity',
  'identity-info',
  'session-expires',
  'min-se',
  'rack',
  'rseq',
  'subscription-state',
  'event',
  'replaces',
  'sip-etag',
  'sip-if-match',
  'target-dialog',
  'refer-sub',
]);

const KEY_CACHE = new Map<string, string>();
const KEY_CACHE_LIMIT = 4096;

function computeKey(name: string): string {
  const lower = name.toLowerCase();
  if (lower.length === 1) return COMPACT[lower] ?? lower;
  return lower;
}

/** Lower-case full (non-compact) form, used as the comparison key for header names. */
export function headerKey(name: string): string {
  const cached = KEY_CACHE.get(name);
  if (cached !== undefined) return cached;
  const key = computeKey(name);
  // Bounded so a flood of random header names cannot grow memory without limit.
  if (KEY_CACHE.size < KEY_CACHE_LIMIT) KEY_CACHE.set(name, key);
  return key;
}

export function isListHeader(key: string): boolean {
  return !NOT_LIST.has(key);
}

export function canonicalHeaderName(name: string): string {
  if (name.length > 1 && (name[0] === 'x' || name[0] === 'X') && name[1] === '-') return name;
  const key = headerKey(name);
  const known = CANONICAL.get(key);
  if (known !== undefined) return known;
  return key
    .split('-')
    .map((part) => (part.length === 0 ? part : part[0]!.toUpperCase() + part.slice(1)))
    .join('-');
}
