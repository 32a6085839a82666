import type { ListenPoint, TransportName } from './transport/types.js';

export interface EngineCliOptions {
  contacts: ListenPoint[];
  port: number;
  address: string;
  secret: string;
  loglevel: string;
}

export class CliError extends Error {}

const USAGE = `usage: npm run engine -- [--contact "sip:HOST:PORT;transport=udp,tcp"]... [--port 9022] [--address 127.0.0.1] --secret SECRET [--loglevel info] [--external-ip IP]`;

/** drachtio-server's own flags (the subset that matters for an embedded engine). */
export function parseEngineArgs(argv: readonly string[]): EngineCliOptions {
  const out: EngineCliOptions = { contacts: [], port: 9022, address: '127.0.0.1', secret: '', loglevel: 'info' };
  let externalIp: string | undefined;
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
  return out;
}

function parsePort(text: string, what: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new CliError(`${what}: "${text}" is not a port number`);
  return n;
}

/** `sip:HOST[:PORT][;transport=udp,tcp]` as drachtio-server accepts it; `*` means all interfaces. */
export function parseContact(text: string): ListenPoint {
  const m = /^sips?:(\[[^\]]+\]|[^:;]+)(?::(\d+))?(?:;transport=([a-z,]+))?$/i.exec(text.trim());
  if (!m) throw new CliError(`--contact: cannot read "${text}" (expected sip:HOST:PORT;transport=udp,tcp)`);
  const rawHost = m[1]!;
  const host = rawHost === '*' ? '0.0.0.0' : rawHost.replace(/^\[|\]$/g, '');
  const transports = (m[3] ?? 'udp,tcp').toLowerCase().split(',');
  for (const t of transports) if (t !== 'udp' && t !== 'tcp') throw new CliError(`--contact: transport "${t}" is not supported (udp, tcp)`);
  return { host, port: m[2] ? parsePort(m[2], '--contact') : 5060, transports: [...new Set(transports)] as TransportName[] };
}
