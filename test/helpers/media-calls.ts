import type Srf from 'drachtio-srf';
import type Mrf from 'drachtio-fsmrf';
import { runSipp, type SippResult } from './sipp.js';
import { RtpPeer } from './rtp-peer.js';

/** A SIPp caller whose RTP is the test's own peer on `ip:rtpPort`. */
export interface TestCall {
  peer: RtpPeer;
  sipp: Promise<SippResult>;
  kill(): void;
}

export async function placeCall(ip: string, sippPort: number, rtpPort: number, codecs = '0 8', target = `${ip}:5060`, dialled?: string): Promise<TestCall> {
  const peer = await RtpPeer.bind(ip, rtpPort);
  const extra = ['-mp', String(rtpPort + 1000), ...(dialled === undefined ? [] : ['-s', dialled])];
  const s = runSipp({ scenario: 'media/caller-offers-then-waits-for-bye.xml', target, ip, port: sippPort, timeoutSec: 20, keys: { rtpport: String(rtpPort), codecs }, extra });
  return { peer, sipp: s.done, kill: s.kill };
}

/** Points the peer at the endpoint's RTP address. */
export function aim(call: TestCall, ep: Mrf.Endpoint): void {
  call.peer.target = { address: ep.local.mediaIp, port: Number(ep.local.mediaPort) };
}

/** Installs one INVITE handler whose behaviour each test sets. */
export function inviteRouter(srf: Srf): { next(f: (req: Srf.SrfRequest, res: Srf.SrfResponse) => void): void } {
  const queue: Array<(req: Srf.SrfRequest, res: Srf.SrfResponse) => void> = [];
  srf.invite((req, res) => {
    const f = queue.shift();
    if (f) f(req, res);
    else res.send(480);
  });
  return { next: (f) => queue.push(f) };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export { until } from './poll.js';
