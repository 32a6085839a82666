// The embedded media server: FreeSWITCH's side of every seam drachtio-fsmrf uses (event socket
// inbound and outbound, SIP, SDP, RTP). Its SIP side is an srf application on an embedded engine of
// its own (see sip/sip-side.ts for why). Entry point: startMediaServer(options).
import { createServer, type Server } from 'node:net';
import pino, { type Logger } from 'pino';
import type { Channel } from './channel/channel.js';
import type { MediaCounters, ServerContext } from './channel/context.js';
import { EslSession, type SessionHost } from './esl/esl-session.js';
import { baseEvent, newIdentity } from './esl/event-factory.js';
import type { EslEvent } from './esl/event.js';
import type { EslCommand } from './esl/command-reader.js';
import { headerOf } from './esl/command-reader.js';
import { addBasicData, addProfile, addVariables } from './channel/channel-events.js';
import { runApi, type ApiHost } from './api/commands.js';
import { MediaError } from './errors.js';
import { PortPool } from './rtp/port-pool.js';
import { sharedPacer, type Pacer } from './rtp/pacer.js';
import { SipSide } from './sip/sip-side.js';
import { handleInvite } from './sip/invite.js';
import { runMrfDialplan } from './sip/dialplan.js';

export interface MediaServerOptions {
  /** event socket listen address (default 127.0.0.1) and port (default 8021; 0 = ephemeral) */
  eslAddress?: string;
  eslPort?: number;
  /** event socket password (FreeSWITCH default ClueCon) */
  password?: string;
  /** SIP profile address and port (default 127.0.0.1:5080) */
  sipAddress?: string;
  sipPort?: number;
  /** RTP address (default: the SIP address) and even-port range */
  rtpAddress?: string;
  rtpRangeStart?: number;
  rtpRangeEnd?: number;
  /** SIP profile name reported by `sofia status` (default drachtio_mrf) */
  profile?: string;
  soundsDir?: string;
  recordingsDir?: string;
  logger?: Logger;
  /** HEARTBEAT period (FreeSWITCH: 20 s) */
  heartbeatMs?: number;
  maxSessions?: number;
  /** defaults to the process-wide pacer */
  pacer?: Pacer;
}

export interface MediaGauges {
  channels: number;
  outboundSockets: number;
  inboundConnections: number;
  rtpPorts: number;
  openRecordings: number;
}

export interface MediaServer {
  readonly esl: { address: string; port: number };
  readonly sip: { address: string; port: number };
  gauges(): MediaGauges;
  /** the live channel (tests and diagnostics) */
  channel(uuid: string): Channel | undefined;
  stop(): Promise<void>;
}

function listen(server: Server, port: number, address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (err) => reject(new MediaError('MEDIA_BIND_FAILED', `event socket ${address}:${port}: ${err.message}`)));
    server.listen(port, address, () => {
      const a = server.address();
      resolve(typeof a === 'object' && a ? a.port : port);
    });
  });
}

export async function startMediaServer(o: MediaServerOptions = {}): Promise<MediaServer> {
  const eslAddress = o.eslAddress ?? '127.0.0.1';
  const sipAddress = o.sipAddress ?? '127.0.0.1';
  const rtpAddress = o.rtpAddress ?? sipAddress;
  const password = o.password ?? 'ClueCon';
  const logger = o.logger ?? pino({ level: 'info' });
  const counters: MediaCounters = { outboundSockets: 0, openRecordings: 0 };
  const sessions = new Set<EslSession>();
  const identity = newIdentity(sipAddress);
  const ctx: ServerContext = {
    identity,
    events: { fire: (ev: EslEvent) => fanOut(sessions, ev), wants: (name, subclass, uuid) => anyMayWant(sessions, name, subclass, uuid) },
    pacer: o.pacer ?? sharedPacer(),
    logger,
    counters,
    channels: new Map(),
    globals: new Map([
      ['sounds_dir', o.soundsDir ?? process.cwd()],
      ['recordings_dir', o.recordingsDir ?? process.cwd()],
      ['base_dir', process.cwd()],
    ]),
    soundsDir: o.soundsDir ?? process.cwd(),
    recordingsDir: o.recordingsDir ?? process.cwd(),
    profile: o.profile ?? 'drachtio_mrf',
    sessionsSinceStartup: { n: 0 },
  };
  const pool = new PortPool(rtpAddress, o.rtpRangeStart ?? 20000, o.rtpRangeEnd ?? 30000);
  const sip = await SipSide.start(sipAddress, o.sipPort ?? 5080, logger);
  const apiHost: ApiHost = { ctx, sipAddress: { ip: sipAddress, port: sip.port }, maxSessions: o.maxSessions ?? 1000 };
  const host: SessionHost & { sessions: Set<EslSession> } = {
    logger,
    sessions,
    api: (line) => runApi(apiHost, line),
    sendmsg: (uuid, cmd) => sendmsg(ctx, uuid, cmd),
    channelData: (s) => channelData(ctx, s.channelUuid),
    closed: (s) => sessions.delete(s),
    backgroundJob: (job, line, body) => {
      const ev = baseEvent(identity, 'BACKGROUND_JOB')
        .add('Job-UUID', job)
        .add('Job-Command', line.split(' ')[0] ?? '')
        .add('Job-Command-Arg', line.split(' ').slice(1).join(' '));
      ev.body = body;
      return ev;
    },
  };
  const contact = `<sip:mod_sofia@${sipAddress}:${sip.port};transport=udp>`;
  sip.srf.invite((req, res) => {
    void handleInvite({ ctx, srf: sip.srf, pool, rtpIp: rtpAddress, sipContact: contact, dialplan: (ch) => runMrfDialplan(ch, host) }, req, res).catch((err: unknown) =>
      logger.error({ err }, 'INVITE handling failed'),
    );
  });
  const eslServer = createServer((socket) => {
    sessions.add(new EslSession(socket, { kind: 'inbound', password }, host));
  });
  let eslPort: number;
  try {
    eslPort = await listen(eslServer, o.eslPort ?? 8021, eslAddress);
  } catch (err) {
    await sip.stop();
    throw err;
  }
  const heartbeat = setInterval(() => ctx.events.fire(heartbeatEvent(ctx, apiHost.maxSessions)), o.heartbeatMs ?? 20_000);
  let stopping: Promise<void> | undefined;
  heartbeat.unref();
  logger.info({ esl: `${eslAddress}:${eslPort}`, sip: `${sipAddress}:${sip.port}` }, 'media server started');
  return {
    esl: { address: eslAddress, port: eslPort },
    sip: { address: sipAddress, port: sip.port },
    gauges: () => ({
      channels: ctx.channels.size,
      outboundSockets: counters.outboundSockets,
      inboundConnections: [...sessions].filter((s) => s.mode.kind === 'inbound').length,
      rtpPorts: pool.allocated,
      openRecordings: counters.openRecordings,
    }),
    channel: (uuid) => ctx.channels.get(uuid),
    stop() {
      // idempotent: a test may stop the server mid-run and its harness again at the end
      return (stopping ??= (async () => {
        clearInterval(heartbeat);
        for (const ch of [...ctx.channels.values()]) ch.hangup('SYSTEM_SHUTDOWN');
        await new Promise((r) => setTimeout(r, 100));
        for (const s of [...sessions]) s.close();
        await new Promise<void>((r) => eslServer.close(() => r()));
        await sip.stop();
      })());
    },
  };
}

/** Every listener that may want the event (one pinned to another channel cannot). */
function fanOut(sessions: Set<EslSession>, ev: EslEvent): void {
  const uid = ev.getLower('Unique-ID');
  for (const s of sessions) {
    const pin = s.subs.pinnedTo;
    if (pin === undefined || pin === uid) s.deliver(ev);
  }
}

function anyMayWant(sessions: Set<EslSession>, name: string, subclass: string | undefined, channelUuid: string): boolean {
  const uid = channelUuid.toLowerCase();
  for (const s of sessions) if (s.mayWant(name, subclass, uid)) return true;
  return false;
}

function sendmsg(ctx: ServerContext, uuid: string | undefined, cmd: EslCommand): string {
  const ch = uuid ? ctx.channels.get(uuid) : undefined;
  if (!ch) return `-ERR invalid session id [${uuid ?? ''}]`;
  const command = (headerOf(cmd, 'call-command') ?? '').toLowerCase();
  if (command === 'execute') {
    const app = headerOf(cmd, 'execute-app-name') ?? '';
    const arg = headerOf(cmd, 'content-type') === 'text/plain' && cmd.body !== undefined ? cmd.body : (headerOf(cmd, 'execute-app-arg') ?? '');
    const loops = Math.max(1, Number(headerOf(cmd, 'loops') ?? '1') || 1);
    for (let i = 0; i < loops; i++) ch.runner.enqueue({ app, arg, eventUuid: headerOf(cmd, 'Event-UUID') });
  } else if (command === 'hangup') ch.hangup(headerOf(cmd, 'hangup-cause') ?? 'NORMAL_CLEARING');
  return '+OK';
}

function channelData(ctx: ServerContext, uuid: string | undefined): string {
  const ch = uuid ? ctx.channels.get(uuid) : undefined;
  const ev = baseEvent(ctx.identity, 'CHANNEL_DATA');
  if (ch) {
    addProfile(ev, ch, 'Channel');
    addBasicData(ev, ch);
    addVariables(ev, ch);
  }
  return ev.toPlain([
    ['Content-Type', 'command/reply'],
    ['Reply-Text', '+OK\n'],
    ['Socket-Mode', 'async'],
    ['Control', 'full'],
  ]);
}

function heartbeatEvent(ctx: ServerContext, maxSessions: number): EslEvent {
  const up = Date.now() - ctx.identity.startedAt;
  return baseEvent(ctx.identity, 'HEARTBEAT')
    .add('Event-Info', 'System Ready')
    .add('Up-Time', `0 years, 0 days, 0 hours, 0 minutes, ${Math.floor(up / 1000)} seconds, 0 milliseconds, 0 microseconds`)
    .add('FreeSWITCH-Version', '1.10.12-embedded')
    .add('Uptime-msec', String(up))
    .add('Session-Count', String(ctx.channels.size))
    .add('Max-Sessions', String(maxSessions))
    .add('Session-Per-Sec', '30')
    .add('Session-Per-Sec-Last', '0')
    .add('Session-Per-Sec-Max', '0')
    .add('Session-Per-Sec-FiveMin', '0')
    .add('Session-Since-Startup', String(ctx.sessionsSinceStartup.n))
    .add('Session-Peak-Max', String(ctx.channels.size))
    .add('Session-Peak-FiveMin', String(ctx.channels.size))
    .add('Idle-CPU', '95.000000');
}
