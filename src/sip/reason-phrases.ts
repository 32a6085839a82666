// The default reason phrase of each SIP status (RFC 3261 §21 and the RFCs that added codes):
// the one table the engine and the application answer with when no specific reason is given.

const PHRASES: ReadonlyMap<number, string> = new Map([
  [100, 'Trying'],
  [180, 'Ringing'],
  [181, 'Call Is Being Forwarded'],
  [182, 'Queued'],
  [183, 'Session Progress'],
  [199, 'Early Dialog Terminated'],
  [200, 'OK'],
  [202, 'Accepted'],
  [204, 'No Notification'],
  [300, 'Multiple Choices'],
  [301, 'Moved Permanently'],
  [302, 'Moved Temporarily'],
  [305, 'Use Proxy'],
  [380, 'Alternative Service'],
  [400, 'Bad Request'],
  [401, 'Unauthorized'],
  [402, 'Payment Required'],
  [403, 'Forbidden'],
  [404, 'Not Found'],
  [405, 'Method Not Allowed'],
  [406, 'Not Acceptable'],
  [407, 'Proxy Authentication Required'],
  [408, 'Request Timeout'],
  [410, 'Gone'],
  [412, 'Conditional Request Failed'],
  [413, 'Request Entity Too Large'],
  [414, 'Request-URI Too Long'],
  [415, 'Unsupported Media Type'],
  [416, 'Unsupported URI Scheme'],
  [417, 'Unknown Resource-Priority'],
  [420, 'Bad Extension'],
  [421, 'Extension Required'],
  [422, 'Session Interval Too Small'],
  [423, 'Interval Too Brief'],
  [428, 'Use Identity Header'],
  [429, 'Provide Referrer Identity'],
  [433, 'Anonymity Disallowed'],
  [480, 'Temporarily Unavailable'],
  [481, 'Call/Transaction Does Not Exist'],
  [482, 'Loop Detected'],
  [483, 'Too Many Hops'],
  [484, 'Address Incomplete'],
  [485, 'Ambiguous'],
  [486, 'Busy Here'],
  [487, 'Request Terminated'],
  [488, 'Not Acceptable Here'],
  [489, 'Bad Event'],
  [491, 'Request Pending'],
  [493, 'Undecipherable'],
  [494, 'Security Agreement Required'],
  [500, 'Server Internal Error'],
  [501, 'Not Implemented'],
  [502, 'Bad Gateway'],
  [503, 'Service Unavailable'],
  [504, 'Server Time-out'],
  [505, 'Version Not Supported'],
  [513, 'Message Too Large'],
  [580, 'Precondition Failure'],
  [600, 'Busy Everywhere'],
  [603, 'Decline'],
  [604, 'Does Not Exist Anywhere'],
  [606, 'Not Acceptable'],
  [607, 'Unwanted'],
]);

/** For a status the table lacks: a phrase naming its class (RFC 3261 §8.1.3.2 treats it as x00). */
const CLASS_PHRASES = ['Unknown', 'Provisional', 'Success', 'Redirection', 'Request Failed', 'Server Error', 'Global Failure'];

/** Whether the table has a phrase of its own for `status`. */
export function hasReasonPhrase(status: number): boolean {
  return PHRASES.has(status);
}

/** The default reason phrase for `status`; for a code the table lacks, its class's phrase ('Unknown' outside 100–699). */
export function reasonPhrase(status: number): string {
  const phrase = PHRASES.get(status);
  if (phrase !== undefined) return phrase;
  const cls = Math.floor(status / 100);
  return Number.isInteger(status) && cls >= 1 && cls <= 6 ? CLASS_PHRASES[cls]! : 'Unknown';
}

/** Every status with a phrase of its own, ascending. */
export function knownStatuses(): number[] {
  return [...PHRASES.keys()];
}
