import { lookup } from 'node:dns/promises';
import type { Logger } from 'pino';
import { DialogTable } from './dialog/dialog-table.js';
import { generateTag, parseMessage, serializeMessage, validateRequest, type SipMessage } from '../sip/index.js';
import { clientKey } from './transaction/client-transaction.js';
import { TransactionTable } from './transaction/transaction-table.js';
import { CompletedResponses } from './transaction/completed-responses.js';
import { DEFAULT_TIMERS, sixtyFourT1, type TimerConfig } from './transaction/timers.js';
import type { Hop, Sender } from './transaction/types.js';
import { StreamTransport, type StreamFlavor } from './transport/stream.js';
import { tcpFlavor } from './transport/tcp.js';
import { tlsFlavor, TlsFileError } from './transport/tls.js';
import type { Inbound, ListenPoint, Peer, SendErrorHandler, TransportName } from './transport/types.js';
import { UdpTransport } from './transport/udp.js';
import { handleSipCommand } from './core/app-commands.js';
import { onAppGone } from './core/app-gone.js';
import type { Core } from './core/contexts.js';
import { PendingRequests } from './core/pending-requests.js';
import { responseHop } from './core/response-hop.js';
import { EngineGauges, type EngineStats } from './core/gauges.js';
import { wireHostport, type LocalPoint } from './core/local-point.js';
import { responseTo } from './core/message-factory.js';
import { handleNetworkRequest } from './core/incoming/network-requests.js';
import { RejectedPeerLog } from './core/rejected-peer-log.js';
import { redactCredentials } from './core/redact.js';
import { ENGINE_VERSION, type EngineOptions } from './options.js';
import type { AppConnection } from './wire/app-connection.js';
import { failFrame } from './wire/leader.js';
import { WireServer } from './wire/wire-server.js';
import { realClock } from './dialog/session-timer.js';
import type { ProxyService } from './core/proxy-service.js';
import { ProxyCore } from './proxy/proxy-core.js';

/** The embedded drachtio-compatible SIP engine: transports, transactions, dialogs, wire protocol. */
export class SipEngine implements Core, Sender {
  readonly log: Logger;
  readonly timers: TimerConfig;
  readonly appAnswerTimeoutMs: number;
  readonly sessionTimers: Core['sessionTimers'];
  readonly gauges = new EngineGauges();
  readonly dialogs: DialogTable;
  readonly maxMessageSize: number;
  readonly transactions = new TransactionTable();
  readonly completedResponses: CompletedResponses;
  readonly pending = new PendingRequests(this.gauges.pendingAppRequests);
  readonly sender: Sender = this;
  /** the proxy, built here and handed to the core as a collaborator */
  readonly proxy: ProxyService;
  private readonly udp: UdpTransport[] = [];
  private readonly streams: StreamTransport[] = [];
  private readonly points: LocalPoint[] = [];
  private readonly wire: WireServer;
  private readonly rejected: RejectedPeerLog;

  constructor(private readonly opts: EngineOptions) {
    this.log = opts.logger;
    this.timers = { ...DEFAULT_TIMERS, ...opts.timers };
    this.appAnswerTimeoutMs = opts.appAnswerTimeoutMs ?? 64_000;
    this.sessionTimers = {
      clock: { ...realClock, msPerSecond: opts.sessionTimers?.msPerSecond ?? realClock.msPerSecond },
      defaultRefresher: opts.sessionTimers?.defaultRefresher ?? 'none',
    };
    this.maxMessageSize = opts.maxMessageSize ?? 65_535;
    this.dialogs = new DialogTable(this.gauges.dialogs);
    this.completedResponses = new CompletedResponses(sixtyFourT1(this.timers), this);
    this.rejected = new RejectedPeerLog(this.log);
    this.proxy = new ProxyCore(this);
    this.wire = new WireServer(
      {
        ...opts.wire,
        version: ENGINE_VERSION,
        maxFrameBytes: 4 * 1024 * 1024,
        hostports: () => this.points.map((p) => wireHostport(p)).join(','),
        localHostports: () => this.points.map((p) => wireHostport(p, true)).join(','),
      },
      {
        onSipCommand: (conn, f) => this.guard(() => handleSipCommand(this, conn, f), conn, f.msgId),
        onProxyCommand: (conn, f) => this.guard(() => this.proxy.command(conn, f.msgId, f.args, f.sip), conn, f.msgId),
        onAppGone: (conn) => onAppGone(this, conn),
      },
      this.log,
      (d) => (d > 0 ? this.gauges.appConnections.inc() : this.gauges.appConnections.dec()),
    );
  }

  async start(): Promise<void> {
    const onMessage = (m: Inbound): void => this.onInbound(m);
    for (const lp of this.opts.sip) {
      for (const t of lp.transports) {
        if (t === 'udp') {
          const u = new UdpTransport(lp.host, lp.port, onMessage, (e) => this.log.error({ err: e.message }, 'UDP socket error'));
          await u.start();
          this.udp.push(u);
          this.points.push({ transport: 'udp', host: lp.host, port: u.local.port, advertised: advertised(lp.externalIp, lp.host) });
        } else {
          const stream = new StreamTransport(
            lp.host,
            lp.port,
            { maxMessageSize: this.maxMessageSize, partialMessageTimeoutMs: this.opts.partialMessageTimeoutMs ?? 30_000, idleTimeoutMs: this.opts.tcpIdleTimeoutMs ?? 3_600_000 },
            {
              onMessage,
              onRejectedPeer: (peer, reason) => this.rejected.note(peer.address, t, reason),
              onConnectionCount: (d) => (d > 0 ? this.gauges.sipConnections.inc() : this.gauges.sipConnections.dec()),
            },
            t === 'tls' ? this.tlsFor(lp) : tcpFlavor,
          );
          await stream.start();
          this.streams.push(stream);
          this.points.push({ transport: t, host: lp.host, port: stream.local.port, advertised: advertised(lp.externalIp, lp.host) });
        }
      }
    }
    await this.wire.start();
    this.log.info({ sip: this.points.map((p) => wireHostport(p)), wire: `${this.opts.wire.host}:${this.wire.boundPort}` }, 'SIP engine listening');
  }

  async stop(): Promise<void> {
    this.proxy.stop();
    await this.wire.stop();
    for (const u of this.udp) await u.stop();
    for (const t of this.streams) await t.stop();
    this.transactions.terminateAll();
    this.completedResponses.clear();
  }

  get wirePort(): number {
    return this.wire.boundPort;
  }

  get listenPoints(): readonly LocalPoint[] {
    return this.points;
  }

  stats(): EngineStats {
    return this.gauges.snapshot(this.completedResponses.size);
  }

  // ---- Sender
  send(hop: Hop, buf: Buffer, onError?: SendErrorHandler): void {
    if (hop.transport === 'udp') {
      const u = this.udp[0];
      if (!u) return onError?.(new Error('no UDP transport'));
      u.send(hop, buf, onError);
    } else {
      // the connection's own transport when it is still open, else the first of that kind
      const owner = hop.connectionId ? this.streams.find((s) => s.hasConnection(hop.connectionId as string)) : undefined;
      const t = owner ?? this.streams.find((s) => s.transport === hop.transport);
      if (!t) return onError?.(new Error(`no ${hop.transport.toUpperCase()} transport`));
      t.send(hop, buf, onError, hop.connectionId);
    }
  }

  private tlsFor(lp: ListenPoint): StreamFlavor {
    if (!lp.tls) throw new TlsFileError('(none)', 'certFile', `listen point ${lp.host}:${lp.port} has transport tls but no certificate and key files`);
    return tlsFlavor(lp.tls, { handshakeTimeoutMs: this.opts.partialMessageTimeoutMs ?? 30_000 });
  }

  // ---- Core services
  localPoint(transport: TransportName, bindAddress?: string): LocalPoint | undefined {
    let first: LocalPoint | undefined;
    for (const p of this.points) {
      if (p.transport !== transport) continue;
      if (!bindAddress || p.host === bindAddress) return p;
      first ??= p;
    }
    return first;
  }

  isLocal(address: string, port: number): boolean {
    return this.points.some(
      (p) => p.port === port && (p.host === address || p.advertised === address || ((p.host === '0.0.0.0' || p.host === '::') && (address.startsWith('127.') || address === '::1'))),
    );
  }

  app(id: string): AppConnection | undefined {
    return this.wire.get(id);
  }

  pickApp(method: string): AppConnection | undefined {
    return this.wire.router.pick(method);
  }

  async resolve(host: string): Promise<string> {
    return (await lookup(host, { family: 4 })).address;
  }

  hopFor(peer: Peer, connectionId?: string): Hop {
    return connectionId ? { ...peer, connectionId } : { ...peer };
  }

  // ---- network input
  private onInbound(m: Inbound): void {
    try {
      const r = parseMessage(m.buf, { maxSize: this.maxMessageSize, datagram: m.remote.transport === 'udp' });
      if (!r.ok) return this.onUnparseable(m, r.error.status, r.error.reason, r.error.isRequest, r.error.partial);
      const msg = r.msg;
      const raw = r.length < m.buf.length ? m.buf.subarray(0, r.length) : m.buf;
      if (msg.isRequest) this.onRequest(msg, canonicalRequestLine(msg, raw), m);
      else this.onResponse(msg, raw, m);
    } catch (err) {
      this.log.error({ err, from: `${m.remote.address}:${m.remote.port}` }, 'internal error handling a SIP message');
    }
  }

  private onRequest(req: SipMessage, raw: Buffer, m: Inbound): void {
    const bad = validateRequest(req);
    if (bad) return this.onUnparseable(m, bad.status, bad.reason, true, req, bad.extraHeaders);
    const via = req.topVia();
    if (!via) return this.onUnparseable(m, 400, 'Bad Request - missing Via', true, req);
    if (this.log.isLevelEnabled('debug')) this.log.debug({ from: `${m.remote.transport}:${m.remote.address}:${m.remote.port}`, sip: redactCredentials(raw.toString('utf8')) }, 'received request');
    handleNetworkRequest(this, req, raw, m, via);
  }

  private onResponse(res: SipMessage, raw: Buffer, m: Inbound): void {
    const via = res.topVia();
    if (!via?.branch) return;
    const tx = this.transactions.client(clientKey(via.branch, res.cseq.method));
    if (!tx) {
      if (this.proxy.relayResponse(res)) return;
      this.log.debug({ from: `${m.remote.address}:${m.remote.port}`, status: res.status }, 'response matches no transaction: dropped');
      return;
    }
    tx.receive(res, raw, m.remote);
  }

  /** Malformed input: requests get a stateless error response when one can be addressed; responses are dropped. */
  private onUnparseable(m: Inbound, status: number, reason: string, isRequest: boolean | undefined, partial?: SipMessage, extra?: { name: string; value: string }[]): void {
    this.rejected.note(m.remote.address, m.remote.transport, reason);
    if (!isRequest || !partial || partial.method === 'ACK') return;
    const vias = partial.getHeaderValues('Via');
    if (vias.length === 0) return;
    const res = responseTo(partial, vias, status, reason, generateTag());
    for (const h of extra ?? []) res.addHeader(h.name, h.value);
    const via = partial.topVia();
    this.send(responseHop(this, m, via?.port, via?.rport === null), serializeMessage(res));
  }

  private guard(fn: () => void, conn: AppConnection, rid: string): void {
    try {
      fn();
    } catch (err) {
      this.log.error({ err }, 'wire command failed');
      conn.send(failFrame(rid, 'NOK', `Server error: ${(err as Error).message}`));
    }
  }
}

/**
 * The parser tolerates extra or trailing SP in the Request-Line (RFC 4475 lwsstart, trws), but the
 * raw bytes go to the app, whose parser does not: hand it the normalised line instead.
 */
function canonicalRequestLine(req: SipMessage, raw: Buffer): Buffer {
  let start = 0;
  while (raw[start] === 13 || raw[start] === 10) start++;
  const lf = raw.indexOf(10, start);
  if (lf < 0) return raw;
  const end = raw[lf - 1] === 13 ? lf - 1 : lf;
  const line = `${req.method} ${req.uri} SIP/2.0`;
  if (end - start === line.length && raw.toString('latin1', start, end) === line) return raw;
  return Buffer.concat([Buffer.from(`${line}\r\n`, 'utf8'), raw.subarray(lf + 1)]);
}

function advertised(externalIp: string | undefined, host: string): string {
  if (externalIp) return externalIp;
  return host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
}
