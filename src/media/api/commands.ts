import type { Channel } from '../channel/channel.js';
import type { ServerContext } from '../channel/context.js';
import { bridge, unbridge } from '../channel/bridge.js';
import { channelEvent } from '../channel/channel-events.js';
import { startSessionRecording, stopSessionRecording } from '../apps/record-session.js';
import { coreStatus, sofiaStatus } from './sofia-status.js';

export interface ApiHost {
  ctx: ServerContext;
  sipAddress: { ip: string; port: number };
  maxSessions: number;
}

type Handler = (host: ApiHost, args: string[]) => Promise<string> | string;

const NO_CHANNEL = '-ERR No such channel!\n';

function withChannel(f: (ch: Channel, args: string[], host: ApiHost) => Promise<string> | string, missing = NO_CHANNEL): Handler {
  return (host, args) => {
    const ch = host.ctx.channels.get(args[0] ?? '');
    return ch && ch.up ? f(ch, args.slice(1), host) : missing;
  };
}

/** Writes the RTP counters as FreeSWITCH's rtp_audio_* variables. */
function setMediaStats(ch: Channel): void {
  const c = ch.rtp?.counters;
  if (!c) return;
  const v = (k: string, n: number): void => ch.vars.set(`rtp_audio_${k}`, String(n));
  v('in_raw_bytes', c.inBytes);
  v('in_media_bytes', c.inBytes - c.inDtmfPackets * 16);
  v('in_packet_count', c.inPackets);
  v('in_media_packet_count', c.inMediaPackets);
  v('in_skip_packet_count', c.inDropped);
  v('in_dtmf_packet_count', c.inDtmfPackets);
  v('out_raw_bytes', c.outBytes);
  v('out_media_bytes', c.outBytes - c.outDtmfPackets * 16);
  v('out_packet_count', c.outPackets);
  v('out_media_packet_count', c.outPackets - c.outDtmfPackets);
  v('out_dtmf_packet_count', c.outDtmfPackets);
  v('rtcp_packet_count', 0);
}

const HANDLERS: Record<string, Handler> = {
  sofia: (host, args) => (args[0] === 'status' ? sofiaStatus(host.ctx.profile, host.sipAddress.ip, host.sipAddress.port, host.ctx.channels.size) : '-ERR Usage: sofia status\n'),
  status: (host) => coreStatus(host.ctx.identity.startedAt, host.ctx.sessionsSinceStartup.n, host.ctx.channels.size, host.maxSessions),
  version: () => 'FreeSWITCH Version 1.10.12-embedded (embedded TypeScript media server)\n',
  hostname: (host) => host.ctx.identity.hostname,
  uuid_exists: (host, args) => (host.ctx.channels.has(args[0] ?? '') ? 'true' : 'false'),
  uuid_dump: withChannel((ch, args) => {
    const ev = channelEvent(ch.ctx, ch, 'CHANNEL_DATA');
    return args[0] === 'json' ? ev.toJson() : ev.toPlain();
  }),
  uuid_set_media_stats: withChannel((ch) => {
    setMediaStats(ch);
    return '+OK:\n';
  }),
  uuid_getvar: withChannel((ch, args) => ch.vars.get(args[0] ?? '') ?? '_undef_'),
  uuid_setvar: withChannel((ch, args) => {
    ch.vars.set(args[0] ?? '', args.slice(1).join(' '));
    return '+OK\n';
  }),
  uuid_kill: withChannel((ch, args) => {
    ch.hangup(args[0] ?? 'NORMAL_CLEARING');
    return '+OK\n';
  }),
  uuid_break: withChannel((ch, args) => {
    ch.runner.breakCurrent(args.includes('all'));
    if (args.includes('both') && ch.bridgedTo) ch.bridgedTo.runner.breakCurrent(args.includes('all'));
    return '+OK\n';
  }),
  uuid_bridge: (host, args) => {
    const a = host.ctx.channels.get(args[0] ?? '');
    const b = host.ctx.channels.get(args[1] ?? '');
    if (!a?.up || !b?.up || a === b) return '-ERR Invalid uuid\n';
    bridge(a, b);
    return `+OK ${b.uuid}\n`;
  },
  uuid_transfer: withChannel((ch, args) => {
    // fsmrf: `-both park inline` — every form here ends with the legs parked, unbridged
    const peer = ch.bridgedTo;
    unbridge(ch);
    if (args[0] === '-both' && peer) unbridge(peer);
    return '+OK\n';
  }),
  uuid_send_dtmf: withChannel((ch, args) => {
    void ch.sendDtmf(args[0] ?? '');
    return `+OK ${ch.uuid} sent DTMF ${args[0] ?? ''}.\n`;
  }),
  uuid_record: withChannel(async (ch, args) => {
    const [action, path = ''] = args;
    if (action === 'start') return (await startSessionRecording(ch, [path, ...args.slice(2)].join(' '))) ? '+OK Success\n' : '-ERR Cannot record session!\n';
    if (action === 'stop') return (await stopSessionRecording(ch, path)) ? '+OK Success\n' : '-ERR Cannot stop record session!\n';
    return '-ERR Usage: uuid_record <uuid> start|stop <path> [<limit>]\n';
  }, '-ERR Cannot locate session!\n'),
};

/** Runs one `api` command line; unknown commands answer like FreeSWITCH. */
export async function runApi(host: ApiHost, line: string): Promise<string> {
  const parts = line
    .trim()
    .split(/\s+/)
    .filter((p) => p !== '');
  const name = (parts[0] ?? '').toLowerCase();
  const h = Object.hasOwn(HANDLERS, name) ? HANDLERS[name] : undefined;
  if (!h) return `-ERR ${parts[0] ?? ''} Command not found!\n`;
  const out = await h(host, parts.slice(1));
  return out === '' ? '-ERR no reply\n' : out;
}
