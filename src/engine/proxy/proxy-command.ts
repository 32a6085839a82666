/**
 * Typed codec for the wire `proxy` command (protocol doc §7.1). Token positions live here only.
 * args are the tokens after the type: [txnId, remainInDialog, fullResponse, followRedirects,
 * simultaneous|serial, provisionalTimeout, finalTimeout, dest1, dest2, ...].
 */
export interface ProxyCommand {
  txnId: string;
  remainInDialog: boolean;
  fullResponse: boolean;
  followRedirects: boolean;
  simultaneous: boolean;
  /** undefined when absent or unreadable */
  provisionalTimeoutMs: number | undefined;
  finalTimeoutMs: number | undefined;
  destinations: string[];
}

const TIMEOUT = /^(\d{1,9})(ms|s)$/;

/** `2s`, `1500ms`; anything else is ignored (undefined). */
export function parseProxyTimeout(token: string | undefined): number | undefined {
  const m = token ? TIMEOUT.exec(token) : null;
  if (!m) return undefined;
  const n = Number(m[1]);
  return m[2] === 's' ? n * 1000 : n;
}

export function decodeProxyCommand(args: readonly string[]): ProxyCommand | string {
  if (args.length < 2) return 'invalid proxy command: too few tokens';
  const [txnId = '', rid = '', full = '', follow = '', fork = '', prov, fin, ...dests] = args;
  const destinations = dests.map((d) => d.trim()).filter((d) => d.length > 0);
  if (!txnId) return 'invalid proxy command: missing transaction id';
  if (destinations.length === 0) return 'invalid proxy command: no destination';
  return {
    txnId,
    remainInDialog: rid === 'remainInDialog',
    fullResponse: full === 'fullResponse',
    followRedirects: follow === 'followRedirects',
    simultaneous: fork === 'simultaneous',
    provisionalTimeoutMs: parseProxyTimeout(prov),
    finalTimeoutMs: parseProxyTimeout(fin),
    destinations,
  };
}

export function encodeProxyCommand(c: ProxyCommand): string[] {
  const t = (ms: number | undefined): string => (ms === undefined ? '' : `${ms}ms`);
  return [
    c.txnId,
    c.remainInDialog ? 'remainInDialog' : '',
    c.fullResponse ? 'fullResponse' : '',
    c.followRedirects ? 'followRedirects' : '',
    c.simultaneous ? 'simultaneous' : 'serial',
    t(c.provisionalTimeoutMs),
    t(c.finalTimeoutMs),
    ...c.destinations,
  ];
}
