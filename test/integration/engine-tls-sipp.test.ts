import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Srf from 'drachtio-srf';
import { runSipp } from '../helpers/sipp.js';
import { srfOnEngine } from '../helpers/srf-on-engine.js';
import { makeTestCertificate } from '../helpers/tls-cert.js';
import { startTlsRelay, type TlsRelay } from '../helpers/tls-relay.js';

// SIPp calls across a TLS hop. Debian's SIPp is built without OpenSSL, so `-t l1` is not
// available: SIPp speaks TCP (`-t t1`) to a relay on this machine that carries the connection on
// over TLS to the engine, the way stunnel would. The engine sees a TLS connection (protocol tls)
// and answers on it; only SIPp's own Via says TCP. Addresses 127.14.5.x.
const ENGINE_IP = '127.14.5.1';
const cert = makeTestCertificate([ENGINE_IP]);
const e = srfOnEngine({
  wireHost: ENGINE_IP,
  host: ENGINE_IP,
  listen: [{ host: ENGINE_IP, port: 5061, transports: ['tls'], tls: { certFile: cert.certFile, keyFile: cert.keyFile } }],
});
let relay: TlsRelay;
const SDP = 'v=0\r\no=- 1 1 IN IP4 127.14.5.1\r\ns=-\r\nc=IN IP4 127.14.5.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n';

beforeAll(async () => {
  relay = await startTlsRelay({ host: '127.14.5.2', port: 0 }, { host: ENGINE_IP, port: e.h.sipPort, localAddress: '127.14.5.3', ca: readFileSync(cert.caFile) });
});
afterAll(async () => {
  await relay?.close();
  cert.remove();
});

type SendWithPrack = (status: number, opts: object, cb: (err?: unknown) => void, onPrack: (prack: Srf.SrfRequest) => void) => void;

describe('SIPp through a TLS hop to srf on the engine', () => {
  it('SIPp uac: five calls answered by srf.createUAS arrive as protocol tls', async () => {
    const protocols: string[] = [];
    e.onInvite = (req, res) => {
      protocols.push(req.protocol);
      void e.srf.createUAS(req, res, { localSdp: req.body }).catch(() => undefined);
    };
    const r = await runSipp({ scenario: 'uac', target: `127.14.5.2:${relay.port}`, ip: '127.14.5.10', port: 5060, transport: 'tcp', calls: 5, rate: 10, durationMs: 200 }).done;
    expect(r.errors).toBe('');
    expect(r).toMatchObject({ code: 0, successful: 5, failed: 0 });
    expect(protocols).toEqual(['tls', 'tls', 'tls', 'tls', 'tls']);
  });

  it("SIPp's 100rel caller: srf's reliable 183 is PRACKed over TLS, then answered", async () => {
    const pracks: Srf.SrfRequest[] = [];
    e.onInvite = (req, res) => {
      (res.send as unknown as SendWithPrack)(
        183,
        { headers: { Require: '100rel' }, body: SDP },
        () => undefined,
        (prack) => {
          pracks.push(prack);
          void e.srf.createUAS(req, res, { localSdp: SDP }).catch(() => undefined);
        },
      );
    };
    const r = await runSipp({
      scenario: 'engine/prack/uac-100rel-prack-then-hangup.xml',
      target: `127.14.5.2:${relay.port}`,
      ip: '127.14.5.11',
      port: 5060,
      transport: 'tcp',
      calls: 2,
      rate: 10,
      keys: { require: 'Require' },
    }).done;
    expect(r.errors).toBe('');
    expect(r).toMatchObject({ code: 0, successful: 2, failed: 0 });
    expect(pracks.map((p) => p.protocol)).toEqual(['tls', 'tls']);
  });
});
