import type Srf from 'drachtio-srf';
import { Channel } from '../channel/channel.js';
import type { ServerContext } from '../channel/context.js';
import { MediaError } from '../errors.js';
import type { PortPool } from '../rtp/port-pool.js';
import { RtpSession, type RtpParams } from '../rtp/rtp-session.js';
import { buildAnswer, buildOffer, chooseCodec, parseRemote, type LocalMedia, type RemoteMedia } from '../sdp/sdp.js';
import { setInviteVars, setMediaVars } from './channel-vars.js';

export interface InviteDeps {
  ctx: ServerContext;
  srf: Srf;
  pool: PortPool;
  rtpIp: string;
  sipContact: string;
  /** runs the `mrf` dialplan once media is up */
  dialplan(ch: Channel): void;
}

/** 3pcc: the ACK must bring the answer within this long, or the channel gives up. */
const ACK_TIMEOUT_MS = 32_000;

function rtpParams(remote: RemoteMedia, codec: RtpParams['codec'], local: LocalMedia): RtpParams {
  // an SDP pointing at ourselves (srf's 3pcc ACK echoes our offer) or send-only: wait to latch
  const self = remote.address === local.ip && remote.port === local.port;
  const silent = self || remote.direction === 'inactive';
  return { codec, dtmfPt: remote.dtmfPt, remoteAddress: silent ? '0.0.0.0' : remote.address, remotePort: silent ? 0 : remote.port };
}

function sipStatusFor(err: unknown): number {
  if (err instanceof MediaError) return err.code === 'MEDIA_NO_RTP_PORT' ? 503 : 488;
  return 500;
}

/**
 * An INVITE from fsmrf (spec §4): with SDP → answer; without (3pcc) → offer in the 200, answer in
 * the ACK. Then the channel is active and the dialplan runs; BYE / re-INVITE follow on the dialog.
 */
export async function handleInvite(deps: InviteDeps, req: Srf.SrfRequest, res: Srf.SrfResponse): Promise<void> {
  const { ctx, pool } = deps;
  const log = ctx.logger;
  if (!/^drachtio-fsmrf:/.test(req.get('User-Agent') ?? '')) {
    res.send(404);
    return;
  }
  let remote: RemoteMedia | undefined;
  try {
    if (req.body && req.body.trim() !== '') remote = parseRemote(req.body);
  } catch (err) {
    log.info({ err }, 'INVITE with unusable SDP');
    res.send(488);
    return;
  }
  let bound: Awaited<ReturnType<PortPool['bind']>>;
  try {
    bound = await pool.bind();
  } catch (err) {
    res.send(sipStatusFor(err));
    return;
  }
  const local: LocalMedia = { ip: deps.rtpIp, port: bound.port, sessionId: Date.now() % 1e9, version: Date.now() % 1e9 };
  let dialog: Srf.Dialog | undefined;
  const ch = new Channel(ctx, `sofia/${ctx.profile}/${req.get('From')?.match(/sips?:([^@;>]+)/)?.[1] ?? 'unknown'}`, {
    bye: async () => {
      if (dialog) await new Promise<void>((r) => dialog!.destroy(undefined, () => r()));
    },
  });
  ctx.channels.set(ch.uuid, ch);
  ctx.sessionsSinceStartup.n++;
  ch.onDestroy.push(() => pool.release(bound.port, bound.socket));
  setInviteVars(ch, req);
  ch.fire('CHANNEL_CREATE');
  let codec = remote ? chooseCodec(remote) : undefined;
  const localSdp = remote && codec ? buildAnswer(local, codec, remote) : buildOffer(local);
  try {
    dialog = await deps.srf.createUAS(req, res, { localSdp, headers: { Contact: deps.sipContact, 'Content-Type': 'application/sdp' } });
  } catch (err) {
    log.info({ err }, 'INVITE ended before answer');
    ch.hangup('ORIGINATOR_CANCEL', true);
    return;
  }
  const dlg = dialog;
  dlg.on('destroy', () => ch.hangup('NORMAL_CLEARING', true));
  if (!remote) {
    const ack = await new Promise<Srf.SrfRequest | undefined>((resolve) => {
      const t = setTimeout(() => resolve(undefined), ACK_TIMEOUT_MS);
      dlg.once('ack', (m: unknown) => {
        clearTimeout(t);
        resolve(m as Srf.SrfRequest);
      });
      ch.onHangup.push(() => resolve(undefined));
    });
    try {
      if (!ack?.body) throw new MediaError('MEDIA_BAD_SDP', 'ACK without SDP');
      remote = parseRemote(ack.body);
      codec = chooseCodec(remote);
    } catch (err) {
      log.info({ err }, '3pcc ACK without a usable answer');
      ch.hangup('INCOMPATIBLE_DESTINATION');
      return;
    }
  }
  if (!ch.up || !codec) return;
  const r = remote;
  setMediaVars(ch, { ip: local.ip, port: local.port, sdp: localSdp }, { ip: r.address, port: r.port, sdp: dlg.remote.sdp || req.body }, codec, r.dtmfPt !== undefined);
  const rtp = new RtpSession(bound.socket, bound.port, rtpParams(r, codec, local));
  dlg.on('modify', (mreq: Srf.SrfRequest, mres: Srf.SrfResponse) => {
    try {
      const m = parseRemote(mreq.body);
      const c = m.codecs.includes(rtp.codec) ? rtp.codec : chooseCodec(m);
      rtp.update(rtpParams(m, c, local));
      ch.vars.set('switch_r_sdp', mreq.body);
      ch.vars.set('remote_media_ip', m.address);
      ch.vars.set('remote_media_port', String(m.port));
      mres.send(200, { body: localSdp, headers: { Contact: deps.sipContact, 'Content-Type': 'application/sdp' } });
    } catch {
      mres.send(488);
    }
  });
  ch.activate(rtp);
  deps.dialplan(ch);
}
