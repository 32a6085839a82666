import type { ListenPoint, TlsFiles, TransportName } from './transport/types.js';
import { ERRORS, errorMessage } from '../lib/errors.js';

export interface EngineCliOptions {
  contacts: ListenPoint[];
  port: number;
  address: string;
  secret: string;
  loglevel: string;
}

export class CliError extends Error {
  readonly code = ERRORS.ENGINE_CLI_USAGE.code;
  constructor(problem: string) {
    super(errorMessage('ENGINE_CLI_USAGE', { problem }));
    this.name = 'CliError';
  }
}

const USAGE = `usage: npm run engine -- [--contact "sip:HOST:PORT;transport=udp,tcp"]... [--contact "sips:HOST:5061;transport=tls" --cert-file PEM --key-file PEM [--chain-file PEM] [--ca-file PEM]] [--port 9022] [--address 127.0.0.1] --secret SECRET [--loglevel info] [--external-ip IP]`;

/** drachtio-server's own flags (the subset that matters for an embedded engine). */
export function parseEngineArgs(argv: readonly string[]): EngineCliOptions {
  const out: EngineCliOptions = { contacts: [], port: 9022, address: '127.0.0.1', secret: '', loglevel: 'info' };
  let externalIp: string | undefined;
  const tls: Partial<TlsFiles> = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new CliError(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    switch (flag) {
      case '--contact':
      case '-c':
        out.contacts.push(parseContact(value()));
        break;
      case '--port':
        out.port = parsePort(value(), '--port');
        break;
      case '--address':
        out.address = value();
        break;
      case '--secret':
        out.secret = value();
        break;
      case '--loglevel':
      case '-l':
        out.loglevel = value();
        break;
      case '--external-ip':
        externalIp = value();
        break;
      case '--cert-file':
        tls.certFile = value();
        break;
      case '--key-file':
        tls.keyFile = value();
        break;
      case '--chain-file':
        tls.chainFile = value();
        break;
      case '--ca-file':
        tls.caFile = value();
        break;
      case '--help':
      case '-h':
        throw new CliError(USAGE);
      default:
        throw new CliError(`unknown option ${flag}\n${USAGE}`);
    }
  }
  if (!out.secret) throw new CliError(`--secret is required\n${USAGE}`);
  if (out.contacts.length === 0) out.contacts.push({ host: '127.0.0.1', port: 5060, transports: ['udp', 'tcp'] });
  if (externalIp) for (const c of out.contacts) c.externalIp = externalIp;
  const withTls = out.contacts.filter((c) => c.transports.includes('tls'));
  if (withTls.length > 0) {
    if (!tls.certFile || !tls.keyFile) throw new CliError(`a tls contact needs --cert-file and --key-file\n${USAGE}`);
    for (const c of withTls) c.tls = { ...tls, certFile: tls.certFile, keyFile: tls.keyFile };
  }
  return out;
}

function parsePort(text: string, what: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new CliError(`${what}: "${text}" is not a port number`);
  return n;
}

/**
 * `sip:HOST[:PORT][;transport=udp,tcp,tls]` or `sips:HOST[:PORT][;transport=tls]` as drachtio-server
 * accepts it; `*` means all interfaces. A sips contact is TLS (default port 5061).
 */
export function parseContact(text: string): ListenPoint {
  const m = /^(sips?):(\[[^\]]+\]|[^:;]+)(?::(\d+))?(?:;transport=([a-z,]+))?$/i.exec(text.trim());
  if (!m) throw new CliError(`--contact: cannot read "${text}" (expected sip:HOST:PORT;transport=udp,tcp or sips:HOST:PORT;transport=tls)`);
  const sips = m[1]!.toLowerCase() === 'sips';
  const rawHost = m[2]!;
  const host = rawHost === '*' ? '0.0.0.0' : rawHost.replace(/^\[|\]$/g, '');
  const transports = [...new Set((m[4] ?? (sips ? 'tls' : 'udp,tcp')).toLowerCase().split(','))];
  for (const t of transports) if (t !== 'udp' && t !== 'tcp' && t !== 'tls') throw new CliError(`--contact: transport "${t}" is not supported (udp, tcp, tls)`);
  if (sips && transports.some((t) => t !== 'tls')) throw new CliError(`--contact: a sips contact is TLS only ("${text}")`);
  if (transports.includes('tls') && transports.includes('tcp'))
    throw new CliError(`--contact: tcp and tls cannot share a port; give tls its own contact (e.g. sips:HOST:5061;transport=tls) ("${text}")`);
  const tlsOnly = transports.length === 1 && transports[0] === 'tls';
  return { host, port: m[3] ? parsePort(m[3], '--contact') : tlsOnly ? 5061 : 5060, transports: transports as TransportName[] };
}
