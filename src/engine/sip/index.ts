export { SipMessage, canonicalHeaderName, parseCSeq, type SipHeader, type CSeq } from './message.js';
export { serializeMessage } from './serialize.js';
export { parseMessage, type ParseResult, type SipParseError, type ParseOptions } from './parse.js';
export { StreamFramer, type FramerResult } from './stream-framer.js';
export { parseVia, formatVia, type Via } from './via.js';
export { getParam } from './params.js';
export { generateBranch, generateTag, generateCallId } from './ids.js';
