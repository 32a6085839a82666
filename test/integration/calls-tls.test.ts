import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startProduct, type Product } from '../helpers/product-harness.js';
import { makeTestCertificate, type TestCertificate } from '../helpers/tls-cert.js';
import { lines, sdpFor, TlsSipPhone, uriIn } from '../helpers/tls-sip-phone.js';
import { callsConfig, clearBindings, expectEngineIdle } from './calls-support.js';

// The whole product with a TLS listen point: phones on TLS connections register and call each
// other. (Debian's SIPp has no TLS: these phones are node:tls clients.) Addresses 127.14.3.x.
const HOST = '127.14.3.1';
let cert: TestCertificate;
let p: Product;
let tlsPort = 0;

beforeAll(async () => {
  cert = makeTestCertificate([HOST]);
  p = await startProduct({
    sipHost: HOST,
    configText: callsConfig(),
    listen: [
      { host: HOST, port: 5060, transports: ['udp', 'tcp'] },
      { host: HOST, port: 5061, transports: ['tls'], tls: { certFile: cert.certFile, keyFile: cert.keyFile } },
    ],
  });
  tlsPort = p.engine.listenPoints.find((l) => l.transport === 'tls')!.port;
});

afterEach(async () => {
  await clearBindings(p, ['100', '101']);
});

afterAll(async () => {
  await p?.stop();
  cert?.remove();
});

const phone = async (ip: string, user: string, password: string): Promise<TlsSipPhone> => new TlsSipPhone(ip, user, password, 'demo.local').connect(HOST, tlsPort, readFileSync(cert.caFile));

describe('phones on TLS connections (transport=tls)', () => {
  it('a phone registers over TLS; its binding is reached over that connection', async () => {
    const alice = await phone('127.14.3.10', '100', 'demo100');
    try {
      const ok = await alice.register();
      expect(ok.status).toBe(200);
      const [b] = await p.ctx.registrar.contactsOf('demo', '100');
      expect(b?.source).toEqual({ address: '127.14.3.10', port: alice.localPort, transport: 'tls' });
      expect(b?.contactUri).toBe(`sip:100@127.14.3.10:${alice.localPort};transport=tls`);
    } finally {
      alice.close();
    }
  });

  it('101 calls 100, both over TLS: challenged, rung on its registered connection, answered, hung up', async () => {
    const alice = await phone('127.14.3.11', '100', 'demo100');
    const bob = await phone('127.14.3.12', '101', 'demo101');
    try {
      expect((await alice.register()).status).toBe(200);
      const connections = p.engine.stats().sipConnections;
      const callId = randomBytes(8).toString('hex');
      const uri = 'sip:100@demo.local';
      const invite = (cseq: number, via: string, auth?: string): string =>
        lines(
          [
            `INVITE ${uri} SIP/2.0`,
            `Via: ${via}`,
            'Max-Forwards: 70',
            `From: "Bob" <sip:101@demo.local>;tag=${bob.tag}`,
            `To: <${uri}>`,
            `Call-ID: ${callId}`,
            `CSeq: ${cseq} INVITE`,
            `Contact: ${bob.contact}`,
            ...(auth ? [`Proxy-Authorization: ${auth}`] : []),
            'Content-Type: application/sdp',
          ],
          sdpFor('127.14.3.12', 41000),
        );
      const firstVia = bob.via();
      bob.send(invite(1, firstVia));
      const challenge = await bob.next(bob.response(callId, 'INVITE'), '407');
      expect(challenge.status).toBe(407);
      bob.send(
        lines([
          `ACK ${uri} SIP/2.0`,
          `Via: ${firstVia}`,
          'Max-Forwards: 70',
          `From: "Bob" <sip:101@demo.local>;tag=${bob.tag}`,
          `To: ${challenge.header('to') ?? ''}`,
          `Call-ID: ${callId}`,
          'CSeq: 1 ACK',
        ]),
      );
      bob.send(invite(2, bob.via(), bob.authorization(challenge.header('proxy-authenticate') ?? '', 'INVITE', uri)));

      const ringing = await alice.next((m) => m.method === 'INVITE', 'INVITE for 100');
      expect(ringing.headers('via')[0]).toMatch(new RegExp(`^SIP/2.0/TLS ${HOST}:5061;`));
      expect(ringing.header('contact')).toContain(`${HOST}:5061;transport=tls`);
      expect(ringing.firstLine).toBe(`INVITE sip:100@127.14.3.11:${alice.localPort};transport=tls SIP/2.0`);
      expect(p.engine.stats().sipConnections, 'no new connection toward 100').toBe(connections);
      const aliceTag = randomBytes(4).toString('hex');
      alice.answer(ringing, 180, 'Ringing', aliceTag);
      alice.answer(ringing, 200, 'OK', aliceTag, sdpFor('127.14.3.11', 42000));

      const answered = await bob.next(bob.response(callId, 'INVITE'), '200 for the INVITE');
      expect(answered.status).toBe(200);
      const target = uriIn(answered.header('contact'));
      expect(target).toMatch(/;transport=tls$/);
      const inDialog = (method: string, cseq: number): string =>
        lines([
          `${method} ${target} SIP/2.0`,
          `Via: ${bob.via()}`,
          'Max-Forwards: 70',
          `From: "Bob" <sip:101@demo.local>;tag=${bob.tag}`,
          `To: ${answered.header('to') ?? ''}`,
          `Call-ID: ${callId}`,
          `CSeq: ${cseq} ${method}`,
        ]);
      bob.send(inDialog('ACK', 2));
      const ack = await alice.next((m) => m.method === 'ACK', 'ACK for 100');
      expect(ack.header('call-id')).toBe(ringing.header('call-id'));

      bob.send(inDialog('BYE', 3));
      const bye = await alice.next((m) => m.method === 'BYE', 'BYE for 100');
      alice.answer(bye, 200, 'OK', aliceTag);
      expect((await bob.next(bob.response(callId, 'BYE'), '200 for the BYE')).status).toBe(200);
      await expectEngineIdle(p);
    } finally {
      alice.close();
      bob.close();
    }
  }, 30_000);
});
