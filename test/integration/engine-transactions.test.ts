import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type Srf from 'drachtio-srf';
import { gaugesSettled, startEngine, type Harness } from '../helpers/engine-harness.js';
import { UdpSipClient, headerOf, statusOf } from '../helpers/udp-client.js';

const ENGINE_IP = '127.0.0.9';
let h: Harness;
let srf: Srf;
let client: UdpSipClient;
const seen: Srf.SrfRequest[] = [];
let answer: ((req: Srf.SrfRequest, res: Srf.SrfResponse) => void) | undefined;

beforeAll(async () => {
  h = await startEngine({ host: ENGINE_IP, port: 5060 });
  srf = await h.connectApp();
  srf.invite((req, res) => {
    seen.push(req);
    answer?.(req, res);
  });
  client = await new UdpSipClient('127.0.0.32').open();
});

afterAll(async () => {
  client.close();
  await h.stop();
});

afterEach(async () => {
  answer = undefined;
  seen.length = 0;
  expect(await gaugesSettled(h.engine)).toMatchObject({ transactions: 0, dialogs: 0, pendingAppRequests: 0 });
});

function invite(branch: string, callId: string, opts: { toTag?: string; cseq?: number; fromTag?: string } = {}): string {
  return [
    `INVITE sip:100@${ENGINE_IP}:${h.sipPort} SIP/2.0`,
    `Via: SIP/2.0/UDP ${client.ip}:${client.localPort};branch=${branch};rport`,
    'Max-Forwards: 70',
    `From: <sip:caller@${client.ip}>;tag=${opts.fromTag ?? 'ft1'}`,
    `To: <sip:100@${ENGINE_IP}>${opts.toTag ? `;tag=${opts.toTag}` : ''}`,
    `Call-ID: ${callId}`,
    `CSeq: ${opts.cseq ?? 1} INVITE`,
    `Contact: <sip:caller@${client.ip}:${client.localPort}>`,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

const send = (text: string): void => client.send(text, ENGINE_IP, h.sipPort);
const settle = (ms = 200): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('RFC 3261 transactions in the embedded engine', () => {
  it('an INVITE gets 100 Trying at once, with received and rport stamped in the Via (RFC 3581)', async () => {
    answer = (_req, res) => setTimeout(() => res.send(486), 300);
    send(invite('z9hG4bKt100a', 'c-trying'));
    const trying = await client.next();
    expect(statusOf(trying)).toBe(100);
    expect(headerOf(trying, 'Via')).toContain(`rport=${client.localPort}`);
    expect(headerOf(trying, 'Via')).toContain(`received=${client.ip}`);
    const busy = await client.next();
    expect(statusOf(busy)).toBe(486);
    send(
      invite('z9hG4bKt100a', 'c-trying')
        .replace(/^INVITE sip:\S+/, `ACK sip:100@${ENGINE_IP}`)
        .replace('CSeq: 1 INVITE', 'CSeq: 1 ACK'),
    );
  });

  it('a retransmitted INVITE is absorbed: the app sees it once, the UAC gets the last response again', async () => {
    answer = () => undefined; // the app takes its time
    const text = invite('z9hG4bKretx1', 'c-retx');
    send(text);
    expect(statusOf(await client.next())).toBe(100);
    await settle();
    send(text);
    expect(statusOf(await client.next())).toBe(100);
    await settle();
    expect(seen.length).toBe(1);
    const cancel = text.replace(/^INVITE/, 'CANCEL').replace('CSeq: 1 INVITE', 'CSeq: 1 CANCEL');
    send(cancel);
    const replies = [await client.next(), await client.next()].map(statusOf).sort();
    expect(replies).toEqual([200, 487]);
    send(text.replace(/^INVITE/, 'ACK').replace('CSeq: 1 INVITE', 'CSeq: 1 ACK'));
  });

  it('a merged request (same Call-ID, From-tag and CSeq, another branch) is answered 482', async () => {
    answer = () => undefined;
    send(invite('z9hG4bKmergeA', 'c-merge'));
    expect(statusOf(await client.next())).toBe(100);
    await settle();
    send(invite('z9hG4bKmergeB', 'c-merge'));
    const r1 = await client.next();
    const r2 = statusOf(r1) === 100 ? await client.next() : r1;
    expect(statusOf(r2)).toBe(482);
    expect(seen.length).toBe(1);
    send(
      invite('z9hG4bKmergeA', 'c-merge')
        .replace(/^INVITE/, 'CANCEL')
        .replace('CSeq: 1 INVITE', 'CSeq: 1 CANCEL'),
    );
    await client.next();
    await client.next();
    send(
      invite('z9hG4bKmergeA', 'c-merge')
        .replace(/^INVITE/, 'ACK')
        .replace('CSeq: 1 INVITE', 'CSeq: 1 ACK'),
    );
    send(
      invite('z9hG4bKmergeB', 'c-merge')
        .replace(/^INVITE/, 'ACK')
        .replace('CSeq: 1 INVITE', 'CSeq: 1 ACK'),
    );
  });

  it('a request inside an unknown dialog gets 481, and so does a CANCEL matching no INVITE', async () => {
    const bye = invite('z9hG4bKbye481', 'c-unknown', { toTag: 'nosuch', cseq: 2 })
      .replace(/^INVITE/, 'BYE')
      .replace('CSeq: 2 INVITE', 'CSeq: 2 BYE');
    send(bye);
    expect(statusOf(await client.next())).toBe(481);
    const cancel = invite('z9hG4bKnoinvite', 'c-unknown2')
      .replace(/^INVITE/, 'CANCEL')
      .replace('CSeq: 1 INVITE', 'CSeq: 1 CANCEL');
    send(cancel);
    expect(statusOf(await client.next())).toBe(481);
  });

  it('a malformed request gets 400 with a reason naming the problem, and the engine keeps serving', async () => {
    send(invite('z9hG4bKbadcseq', 'c-bad').replace('CSeq: 1 INVITE', 'CSeq: 1 OPTIONS'));
    const r = await client.next();
    expect(statusOf(r)).toBe(400);
    expect(r).toMatch(/^SIP\/2\.0 400 .*CSeq/);
    answer = (_req, res) => res.send(603);
    send(invite('z9hG4bKafterbad', 'c-after'));
    expect(statusOf(await client.next())).toBe(100);
    expect(statusOf(await client.next())).toBe(603);
    send(
      invite('z9hG4bKafterbad', 'c-after')
        .replace(/^INVITE/, 'ACK')
        .replace('CSeq: 1 INVITE', 'CSeq: 1 ACK'),
    );
  });

  it('a 2xx never acknowledged ends the call: BYE with Reason "ACK timeout", and the app is told', async () => {
    let destroyedWith = '';
    answer = (req, res) => {
      srf.createUAS(req, res, { localSdp: 'v=0\r\no=- 1 1 IN IP4 127.0.0.9\r\ns=-\r\nc=IN IP4 127.0.0.9\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\n' }).then(
        (d) => d.on('destroy', (_msg: unknown, reason?: string) => (destroyedWith = reason ?? 'destroyed')),
        () => undefined,
      );
    };
    send(invite('z9hG4bKnoack', 'c-noack'));
    let bye: string | undefined;
    for (let i = 0; i < 40 && !bye; i++) {
      const m = await client.next(500);
      if (m?.startsWith('BYE ')) bye = m;
    }
    expect(bye).toBeDefined();
    expect(headerOf(bye, 'Reason')).toContain('text="ACK timeout"');
    // the app hears of it through its own connection, independently of the network BYE
    for (let i = 0; i < 40 && !destroyedWith; i++) await settle(50);
    expect(destroyedWith).toBe('ACK timeout');
    const reply = bye!.split('\r\n').filter((l) => /^(Via|From|To|Call-ID|CSeq):/i.test(l));
    send(['SIP/2.0 200 OK', ...reply, 'Content-Length: 0', '', ''].join('\r\n'));
  });

  it('RFC 3261 §12.2.2: an in-dialog request whose CSeq is lower than the remote sequence number is out of order: 500, not delivered', async () => {
    let dialog: Srf.Dialog | undefined;
    const infos: string[] = [];
    answer = (req, res) => {
      srf.createUAS(req, res, { localSdp: 'v=0\r\no=- 1 1 IN IP4 127.0.0.9\r\ns=-\r\nc=IN IP4 127.0.0.9\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\n' }).then(
        (d) => {
          dialog = d;
          d.on('info', (r: Srf.SrfRequest, rs: Srf.SrfResponse) => {
            infos.push(r.get('CSeq'));
            rs.send(200);
          });
        },
        () => undefined,
      );
    };
    send(invite('z9hG4bKooo1', 'c-out-of-order', { cseq: 5 }));
    let ok: string | undefined;
    for (let i = 0; i < 10 && !ok; i++) {
      const m = await client.next(500);
      if (m && statusOf(m) === 200) ok = m;
    }
    expect(ok).toBeDefined();
    const toTag = /;tag=([^;\s>]+)/.exec(headerOf(ok, 'To') ?? '')![1]!;
    const inDialog = (method: string, cseq: number, branch: string): string =>
      invite(branch, 'c-out-of-order', { cseq, toTag })
        .replace(/^INVITE sip:\S+/, `${method} sip:100@${ENGINE_IP}:${h.sipPort}`)
        .replace(`CSeq: ${cseq} INVITE`, `CSeq: ${cseq} ${method}`);
    send(inDialog('ACK', 5, 'z9hG4bKooo2'));
    send(inDialog('INFO', 3, 'z9hG4bKooo3'));
    const refused = await client.next(1000);
    expect(statusOf(refused)).toBe(500);
    expect(headerOf(refused, 'CSeq')).toBe('3 INFO');
    send(inDialog('INFO', 6, 'z9hG4bKooo4'));
    const accepted = await client.next(1000);
    expect(statusOf(accepted)).toBe(200);
    expect(infos).toEqual(['6 INFO']);
    send(inDialog('BYE', 7, 'z9hG4bKooo5'));
    expect(statusOf(await client.next(1000))).toBe(200);
    expect(dialog).toBeDefined();
  });
});
