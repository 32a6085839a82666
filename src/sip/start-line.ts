// Request-Line / Status-Line (RFC 3261 §7.1, §7.2).
import { isDigits, isToken } from './lex.js';

export type StartLine =
  | { kind: 'request'; method: string; uri: string; version: string }
  | { kind: 'response'; version: string; status: number; reason: string }
  | { kind: 'error'; status: number; reason: string; isRequest: boolean | undefined };

const SUPPORTED = 'SIP/2.0';

function isSipVersion(v: string): boolean {
  if (v.length < 7 || v.slice(0, 4).toUpperCase() !== 'SIP/') return false;
  const dot = v.indexOf('.', 4);
  if (dot < 5 || dot === v.length - 1) return false;
  for (let i = 4; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (i !== dot && (c < 0x30 || c > 0x39)) return false;
  }
  return true;
}

function trimEndSp(s: string): string {
  let e = s.length;
  while (e > 0 && (s.charCodeAt(e - 1) === 0x20 || s.charCodeAt(e - 1) === 0x09)) e--;
  return e === s.length ? s : s.slice(0, e);
}

// module-level rather than a closure per parsed line: esbuild's name-keeping makes each closure cost a defineProperty
function badResponse(reason: string, status = 400): StartLine {
  return { kind: 'error', status, reason, isRequest: false };
}

function badRequest(reason: string, status = 400): StartLine {
  return { kind: 'error', status, reason, isRequest: true };
}

function parseStatusLine(line: string): StartLine {
  const sp1 = line.indexOf(' ');
  if (sp1 < 0) return badResponse('Bad Response - Malformed Status-Line');
  const version = line.slice(0, sp1);
  if (!isSipVersion(version)) return badResponse('Bad Response - Malformed SIP-Version');
  const rest = line.slice(sp1 + 1);
  const sp2 = rest.indexOf(' ');
  const code = sp2 < 0 ? rest : rest.slice(0, sp2);
  if (code.length !== 3 || !isDigits(code)) return badResponse('Bad Response - Status code is not 3 digits');
  const status = Number(code);
  if (status < 100 || status > 699) {
    return badResponse('Bad Response - Status code out of range');
  }
  if (version.toUpperCase() !== SUPPORTED) return badResponse('SIP Version Not Supported', 505);
  return { kind: 'response', version: SUPPORTED, status, reason: sp2 < 0 ? '' : rest.slice(sp2 + 1) };
}

function parseRequestLine(line: string): StartLine {
  const sp1 = line.indexOf(' ');
  if (sp1 <= 0) return { kind: 'error', status: 400, reason: 'Bad Request - Malformed start line', isRequest: undefined };
  const method = line.slice(0, sp1);
  if (!isToken(method)) {
    return { kind: 'error', status: 400, reason: 'Bad Request - Malformed Method', isRequest: undefined };
  }
  // Lenient on extra SP between elements and trailing SP (RFC 4475 lwsstart, trws); the
  // stored parts are normalised so a forwarded request carries single SPs.
  const rest = trimEndSp(line);
  const sp2 = rest.lastIndexOf(' ');
  if (sp2 <= sp1) return badRequest('Bad Request - Malformed Request-Line');
  const version = rest.slice(sp2 + 1);
  let a = sp1 + 1;
  let b = sp2;
  while (a < b && rest.charCodeAt(a) === 0x20) a++;
  while (b > a && rest.charCodeAt(b - 1) === 0x20) b--;
  const uri = rest.slice(a, b);
  if (uri.length === 0) return badRequest('Bad Request - Missing Request-URI');
  if (!isSipVersion(version)) return badRequest('Bad Request - Malformed SIP-Version');
  if (version.toUpperCase() !== SUPPORTED) return badRequest('SIP Version Not Supported', 505);
  return { kind: 'request', method, uri, version: SUPPORTED };
}

export function parseStartLine(line: string): StartLine {
  if (line.length >= 4 && line.slice(0, 4).toUpperCase() === 'SIP/') return parseStatusLine(line);
  return parseRequestLine(line);
}
