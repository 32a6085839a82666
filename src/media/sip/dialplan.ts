import { connect } from 'node:net';
import type { Channel } from '../channel/channel.js';
import { EslSession, type SessionHost } from '../esl/esl-session.js';

export interface DialplanHost extends SessionHost {
  sessions: Set<EslSession>;
}

/**
 * The `mrf` context of the drachtio FreeSWITCH images (spec §10): answer (done by the SIP side), the
 * `set` actions, then `socket <X-esl-outbound> async full` — dial the app and hand it the channel.
 * When the socket ends the dialplan is over and the channel hangs up.
 */
export function runMrfDialplan(ch: Channel, host: DialplanHost): void {
  ch.vars.set('send_silence_when_idle', '-1');
  ch.vars.set('hangup_after_bridge', 'false');
  ch.vars.set('park_after_bridge', 'true');
  ch.vars.set('playback_terminators', 'none');
  const target = ch.vars.get('sip_h_X-esl-outbound') ?? '';
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(target.trim());
  if (!m) {
    ch.hangup('NO_ROUTE_DESTINATION');
    return;
  }
  ch.vars.set('socket_host', m[1]!);
  const socket = connect({ host: m[1]!, port: Number(m[2]) });
  socket.setKeepAlive(true);
  let session: EslSession | undefined;
  socket.once('error', () => {
    if (!session) ch.hangup('DESTINATION_OUT_OF_ORDER');
  });
  socket.once('connect', () => {
    if (!ch.up) {
      socket.destroy();
      return;
    }
    session = new EslSession(socket, { kind: 'outbound', channelUuid: ch.uuid }, host);
    host.sessions.add(session);
    ch.ctx.counters.outboundSockets++;
    const s = session;
    ch.onDestroy.push(() => s.close());
  });
  socket.once('close', () => {
    if (session) ch.ctx.counters.outboundSockets--;
    if (ch.up) ch.hangup('NORMAL_CLEARING');
  });
}
