import { parse as parseSdp } from 'sdp-transform';
import { MediaError } from '../errors.js';
import type { Codec } from '../rtp/g711.js';
import { PAYLOAD_TYPE } from '../rtp/g711.js';

/** Codecs the server implements, in its preference order (greedy negotiation). Never offer more. */
export const SUPPORTED: readonly Codec[] = ['PCMU', 'PCMA'];
export const DEFAULT_DTMF_PT = 101;

export interface RemoteMedia {
  address: string;
  port: number;
  /** offered codecs we support, in the offer's order */
  codecs: Codec[];
  dtmfPt: number | undefined;
  /** a=sendonly / inactive from the far end: it sends nothing we should answer with media */
  direction: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
}

export interface LocalMedia {
  ip: string;
  port: number;
  sessionId: number;
  version: number;
}

/** Parses the first audio m-line; MEDIA_BAD_SDP when unusable, MEDIA_NO_COMMON_CODEC when no codec fits. */
export function parseRemote(sdp: string): RemoteMedia {
  let s: ReturnType<typeof parseSdp>;
  try {
    s = parseSdp(sdp);
  } catch {
    throw new MediaError('MEDIA_BAD_SDP', 'unparsable SDP');
  }
  const m = s.media?.find((x) => x.type === 'audio' && x.port > 0);
  if (!m) throw new MediaError('MEDIA_BAD_SDP', 'no audio m-line');
  if (!/^RTP\/AVP$/i.test(m.protocol)) throw new MediaError('MEDIA_BAD_SDP', `unsupported profile ${m.protocol}`);
  const address = m.connection?.ip ?? s.connection?.ip;
  if (!address || !/^\d{1,3}(\.\d{1,3}){3}$/.test(address)) throw new MediaError('MEDIA_BAD_SDP', 'no IPv4 connection address');
  const pts = String(m.payloads ?? '')
    .split(/\s+/)
    .filter((p) => p !== '')
    .map(Number);
  const names = new Map<number, string>();
  for (const r of m.rtp ?? []) names.set(r.payload, `${r.codec.toUpperCase()}/${r.rate ?? 8000}`);
  const codecs: Codec[] = [];
  let dtmfPt: number | undefined;
  for (const pt of pts) {
    const name = names.get(pt) ?? (pt === 0 ? 'PCMU/8000' : pt === 8 ? 'PCMA/8000' : '');
    if (name === 'PCMU/8000' && !codecs.includes('PCMU')) codecs.push('PCMU');
    else if (name === 'PCMA/8000' && !codecs.includes('PCMA')) codecs.push('PCMA');
    else if (name === 'TELEPHONE-EVENT/8000' && dtmfPt === undefined) dtmfPt = pt;
  }
  if (codecs.length === 0) throw new MediaError('MEDIA_NO_COMMON_CODEC', `no supported codec in ${pts.join(' ')}`);
  const dir = (m.direction ?? s.direction ?? 'sendrecv') as RemoteMedia['direction'];
  return { address, port: m.port, codecs, dtmfPt, direction: dir };
}

/** Greedy: our own preference order among the offered codecs. */
export function chooseCodec(remote: RemoteMedia, allowed: readonly Codec[] = SUPPORTED): Codec {
  const c = allowed.find((x) => remote.codecs.includes(x));
  if (!c) throw new MediaError('MEDIA_NO_COMMON_CODEC', 'no codec in common');
  return c;
}

function lines(local: LocalMedia, codecs: readonly Codec[], dtmfPt: number | undefined, direction: string): string {
  const pts = [...codecs.map((c) => PAYLOAD_TYPE[c]), ...(dtmfPt !== undefined ? [dtmfPt] : [])];
  const out = ['v=0', `o=FreeSWITCH ${local.sessionId} ${local.version} IN IP4 ${local.ip}`, 's=FreeSWITCH', `c=IN IP4 ${local.ip}`, 't=0 0', `m=audio ${local.port} RTP/AVP ${pts.join(' ')}`];
  for (const c of codecs) out.push(`a=rtpmap:${PAYLOAD_TYPE[c]} ${c}/8000`);
  if (dtmfPt !== undefined) out.push(`a=rtpmap:${dtmfPt} telephone-event/8000`, `a=fmtp:${dtmfPt} 0-16`);
  out.push('a=ptime:20', `a=${direction}`);
  return `${out.join('\r\n')}\r\n`;
}

/** The 3pcc offer: every implemented codec and telephone-event. */
export function buildOffer(local: LocalMedia, allowed: readonly Codec[] = SUPPORTED): string {
  return lines(local, allowed, DEFAULT_DTMF_PT, 'sendrecv');
}

/** The answer: one codec, telephone-event when offered, the mirrored direction. */
export function buildAnswer(local: LocalMedia, codec: Codec, remote: RemoteMedia): string {
  const dir = remote.direction === 'sendonly' ? 'recvonly' : remote.direction === 'recvonly' ? 'sendonly' : remote.direction;
  return lines(local, [codec], remote.dtmfPt, dir);
}
