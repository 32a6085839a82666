import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VECTOR_DIR as DIR } from '../unit/sip/vectors.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Srf from 'drachtio-srf';
import { gaugesSettled, startEngine, type Harness } from '../helpers/engine-harness.js';
import { runSipp } from '../helpers/sipp.js';
import { RawUdpPeer, statusLine, tcpExchange } from '../helpers/raw-sip-peers.js';

// Every RFC 4475 torture message sent to the engine over UDP and TCP, one srf app answering.
const ENGINE_IP = '127.0.0.13';
const PEER_IP = '127.0.0.60';

interface Vector {
  file: string;
  class: string;
}
const vectors = JSON.parse(readFileSync(join(DIR, 'index.json'), 'utf8')) as Vector[];

/**
 * The reaction the index asks for, as acceptable first-reply statuses (0 = no reply at all);
 * 'not-400' = any answer but 400 (or none, for what the app handles silently);
 * 'any' = the RFC allows both rejecting and a lenient path; 'close' = TCP connection closed.
 */
type Expect = number[] | 'not-400' | 'any' | 'close';
const UDP: Record<string, Expect> = {
  unreason: [0],
  noreason: [0],
  scalarlg: [0],
  bigcode: [0],
  bcast: [0],
  badinv01: [400],
  clerr: [400],
  ncl: [400],
  scalar02: [400],
  quotbal: [400],
  ltgtruri: [400],
  lwsruri: [400],
  badvers: [505],
  mismatch01: [400],
  mismatch02: [501, 400],
  insuf: [400],
  multi01: [400],
  mcl01: [400],
  unkscm: [416],
  novelsc: [416],
  lwsstart: 'any',
  trws: 'any',
  escruri: 'any',
  baddate: 'any',
  regbadct: 'any',
  badaspec: 'any',
  baddn: 'any',
  badbranch: 'any',
  unksm2: 'any',
  bext01: 'any',
  invut: 'any',
  regaut01: 'any',
  sdp01: 'any',
};
const TCP_OVERRIDES: Record<string, Expect> = { ncl: 'close', mcl01: 'close', clerr: 'close', inv2543: 'close', dblreq: 'any' };
const expectFor = (name: string, tcp: boolean): Expect => (tcp ? TCP_OVERRIDES[name] : undefined) ?? UDP[name] ?? 'not-400';

let onInvite = (_req: Srf.SrfRequest, res: Srf.SrfResponse): void => res.send(486);
let h: Harness;
let srf: Srf;
let port = 5060;

beforeAll(async () => {
  h = await startEngine({ host: ENGINE_IP, port: 5060, partialMessageTimeoutMs: 300 });
  port = h.sipPort;
  srf = await h.connectApp();
  srf.invite((req, res) => onInvite(req, res));
  const on = srf as unknown as Record<'register' | 'options' | 'message', (h: (req: Srf.SrfRequest, res: Srf.SrfResponse) => void) => void>;
  for (const m of ['register', 'options', 'message'] as const) on[m]((_req, res) => res.send(200));
});

afterAll(async () => {
  await h.stop();
});

/** Replies are told apart by Call-ID: earlier INVITEs' 486s are still being retransmitted. */
const callIdOf = (text: string): string | undefined => /^(?:Call-ID|i)[ \t]*:[ \t]*(\S+)/im.exec(text)?.[1];

function judge(name: string, e: Expect, reply: string | undefined, closed: boolean): void {
  const status = reply ? statusLine(reply) : 0;
  const what = `${name}: got ${status || 'no reply'}${closed ? ' (closed)' : ''}`;
  if (e === 'close') return expect(closed, what).toBe(true);
  if (e === 'any') return;
  if (e === 'not-400') return expect(status, what).not.toBe(400);
  expect(e, what).toContain(status);
  if (status === 400) expect(reply, `${name}: the reason names the problem`).toMatch(/^SIP\/2\.0 400 Bad Request - \S/);
}

describe('RFC 4475 torture messages reach the engine', () => {
  it('over UDP, each gets the reaction the index gives', async () => {
    const peer = await new RawUdpPeer(PEER_IP, 5060).open();
    const peer5050 = await new RawUdpPeer(PEER_IP, 5050).open(); // one vector's Via names port 5050
    for (const v of vectors) {
      const name = v.file.replace(/\.dat$/, '');
      const e = expectFor(name, false);
      const before = peer5050.received.length;
      const callId = callIdOf(readFileSync(join(DIR, v.file), 'latin1'));
      const replies = await peer.exchange(readFileSync(join(DIR, v.file)), ENGINE_IP, port, Array.isArray(e) && e.includes(0) ? 300 : 800);
      const other = peer5050.received.slice(before).map((b) => b.toString('latin1'));
      const first = [...replies, ...other].find((r) => statusLine(r) !== 100 && (!callId || r.includes(callId)));
      judge(name, e, first, false);
    }
    peer.close();
    peer5050.close();
  }, 120_000);

  it('over TCP, each gets the reaction the index gives (framing errors close the connection)', async () => {
    await gaugesSettled(h.engine);
    for (const v of vectors) {
      const name = v.file.replace(/\.dat$/, '');
      const e = expectFor(name, true);
      const r = await tcpExchange(PEER_IP, ENGINE_IP, port, [readFileSync(join(DIR, v.file))], e === 'close' ? 2000 : 800, (got) => /^SIP\/2\.0 [2-6]/m.test(got));
      const first = r.replies.split(/(?=^SIP\/2\.0 )/m).find((m) => m.length > 0 && statusLine(m) !== 100);
      judge(name, e, first, r.closedByPeer);
    }
  }, 120_000);

  it('the engine still completes a normal SIPp call afterwards and its gauges return to zero', async () => {
    onInvite = (req, res) => void srf.createUAS(req, res, { localSdp: req.body }).catch(() => undefined);
    const call = runSipp({ scenario: 'uac', target: `${ENGINE_IP}:${port}`, ip: '127.0.0.61', port: 5060, calls: 2, durationMs: 100 });
    expect(await call.done).toMatchObject({ code: 0, successful: 2, failed: 0 });
    const s = await gaugesSettled(h.engine);
    expect(s).toMatchObject({ transactions: 0, dialogs: 0, proxyContexts: 0, pendingAppRequests: 0 });
  }, 40_000);
});
