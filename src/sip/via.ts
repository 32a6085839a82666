// One Via value (RFC 3261 §20.42): sent-protocol LWS sent-by *(SEMI via-params).
import { isDigits, isToken, isWs } from './lex.js';
import { formatParams, parseParams, type ParamMap } from './params.js';

export interface Via {
  protocol: string; // e.g. 'SIP/2.0'
  transport: string; // upper-cased, e.g. 'UDP'
  host: string; // IPv6 references keep their brackets
  port?: number;
  params: ParamMap;
  branch?: string;
  received?: string;
  rport?: number | null; // null = present without value
}

class Cursor {
  i = 0;
  constructor(readonly s: string) {}
  skipWs(): boolean {
    const start = this.i;
    while (this.i < this.s.length && isWs(this.s.charCodeAt(this.i))) this.i++;
    return this.i > start;
  }
  take(stop: (c: number) => boolean): string {
    const start = this.i;
    while (this.i < this.s.length && !stop(this.s.charCodeAt(this.i))) this.i++;
    return this.s.slice(start, this.i);
  }
  eat(c: number): boolean {
    if (this.s.charCodeAt(this.i) !== c) return false;
    this.i++;
    return true;
  }
}

const notToken = (c: number): boolean => isWs(c) || c === 0x2f || c === 0x3b || c === 0x3a;

export function isValidHost(host: string): boolean {
  if (host.length === 0) return false;
  if (host.charCodeAt(0) === 0x5b) {
    if (host.charCodeAt(host.length - 1) !== 0x5d || host.length < 4) return false;
    for (let i = 1; i < host.length - 1; i++) {
      const c = host.charCodeAt(i);
      const hex = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
      if (!hex && c !== 0x3a && c !== 0x2e) return false;
    }
    return true;
  }
  for (let i = 0; i < host.length; i++) {
    const c = host.charCodeAt(i);
    const alnum = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
    if (!alnum && c !== 0x2d && c !== 0x2e && c !== 0x5f) return false;
  }
  return true;
}

export function parsePort(text: string): number | undefined {
  if (!isDigits(text) || text.length > 5) return undefined;
  const n = Number(text);
  return n >= 1 && n <= 65535 ? n : undefined;
}

export function parseVia(value: string): Via | undefined {
  const c = new Cursor(value);
  c.skipWs();
  const name = c.take(notToken);
  c.skipWs();
  if (!c.eat(0x2f)) return undefined;
  c.skipWs();
  const version = c.take(notToken);
  c.skipWs();
  if (!c.eat(0x2f)) return undefined;
  c.skipWs();
  const transport = c.take(notToken);
  if (!isToken(name) || !isToken(version) || !isToken(transport)) return undefined;
  if (!c.skipWs()) return undefined;
  let host: string;
  if (value.charCodeAt(c.i) === 0x5b) {
    const close = value.indexOf(']', c.i);
    if (close < 0) return undefined;
    host = value.slice(c.i, close + 1);
    c.i = close + 1;
  } else {
    host = c.take(notToken);
  }
  if (!isValidHost(host)) return undefined;
  c.skipWs();
  let port: number | undefined;
  if (c.eat(0x3a)) {
    c.skipWs();
    port = parsePort(c.take(notToken));
    if (port === undefined) return undefined;
  }
  const params = parseParams(value, c.i);
  if (!params) return undefined;
  const via: Via = { protocol: `${name}/${version}`, transport: transport.toUpperCase(), host, params };
  if (port !== undefined) via.port = port;
  const branch = params.get('branch');
  if (branch === null) return undefined;
  if (branch !== undefined) via.branch = branch;
  const received = params.get('received');
  if (received === null) return undefined;
  if (received !== undefined) via.received = received;
  if (params.has('rport')) {
    const rp = params.get('rport');
    if (rp === null || rp === undefined) via.rport = null;
    else {
      const n = parsePort(rp);
      if (n === undefined) return undefined;
      via.rport = n;
    }
  }
  return via;
}

export function formatVia(v: Via): string {
  const params: ParamMap = new Map(v.params);
  const sync = (key: string, val: string | null | undefined): void => {
    if (val === undefined) params.delete(key);
    else params.set(key, val);
  };
  sync('branch', v.branch);
  sync('received', v.received);
  sync('rport', v.rport === undefined ? undefined : v.rport === null ? null : String(v.rport));
  const port = v.port !== undefined ? `:${v.port}` : '';
  return `${v.protocol}/${v.transport} ${v.host}${port}${formatParams(params)}`;
}
