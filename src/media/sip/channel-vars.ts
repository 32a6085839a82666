import type Srf from 'drachtio-srf';
import type { Channel } from '../channel/channel.js';

function userOf(uri: string | undefined): string {
  return /sips?:([^@;>]+)@/.exec(uri ?? '')?.[1] ?? '';
}

/** Variables FreeSWITCH has on a fresh inbound sofia channel (spec §5.1). */
export function setInviteVars(ch: Channel, req: Srf.SrfRequest): void {
  const v = (k: string, val: string | undefined): void => ch.vars.set(k, val);
  const from = req.get('From') ?? '';
  const to = req.get('To') ?? '';
  v('direction', 'inbound');
  v('uuid', ch.uuid);
  v('session_id', String(ch.ctx.sessionsSinceStartup.n));
  v('sip_from_user', userOf(from));
  v('sip_from_uri', /<?(sips?:[^>;]+)/.exec(from)?.[1]?.replace(/^sips?:/, ''));
  v('sip_to_user', userOf(to));
  v('sip_req_uri', req.uri.replace(/^sips?:/, ''));
  v('sip_req_user', userOf(req.uri));
  v('sip_call_id', req.get('Call-ID'));
  v('sip_user_agent', req.get('User-Agent'));
  v('sip_network_ip', req.source_address);
  v('sip_network_port', String(req.source_port));
  v('sip_received_ip', req.source_address);
  v('sip_received_port', String(req.source_port));
  for (const [name, value] of Object.entries(req.headers ?? {})) {
    if (/^x-/i.test(name)) v(`sip_h_${canonical(name)}`, String(value));
  }
  v('sip_h_X-esl-outbound', req.get('X-esl-outbound'));
}

function canonical(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_m, d: string, c: string) => d + c.toUpperCase()).replace(/^X-Esl-Outbound$/, 'X-esl-outbound');
}

/** Variables describing the negotiated media. */
export function setMediaVars(ch: Channel, local: { ip: string; port: number; sdp: string }, remote: { ip: string; port: number; sdp: string }, codec: string, dtmf: boolean): void {
  const v = (k: string, val: string): void => ch.vars.set(k, val);
  v('rtp_local_sdp_str', local.sdp);
  v('local_media_ip', local.ip);
  v('local_media_port', String(local.port));
  v('switch_r_sdp', remote.sdp);
  v('remote_media_ip', remote.ip);
  v('remote_media_port', String(remote.port));
  v('dtmf_type', dtmf ? 'rfc2833' : 'none');
  v('rtp_use_codec_string', 'PCMU,PCMA');
  v('rtp_use_codec_name', codec);
  v('rtp_use_codec_rate', '8000');
  v('rtp_use_codec_ptime', '20');
  v('read_codec', codec);
  v('write_codec', codec);
  v('read_rate', '8000');
  v('write_rate', '8000');
  v('endpoint_disposition', 'ANSWER');
}
