// Benchmark: SIP parse / validate / serialise throughput on a typical INVITE. Run: npx tsx test/bench/sip-parse.ts
import { parseMessage, serializeMessage, validateRequest, type SipMessage } from '../../src/sip/index.js';
import { runIfMain } from './run-if-main.js';

const SDP =
  'v=0\r\no=alice 2890844526 2890844526 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\n' + 't=0 0\r\nm=audio 49170 RTP/AVP 0 8 101\r\na=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n';

const INVITE = Buffer.from(
  'INVITE sip:bob@biloxi.example.com SIP/2.0\r\n' +
    'Via: SIP/2.0/UDP pc33.atlanta.example.com:5060;branch=z9hG4bK776asdhds;rport\r\n' +
    'Max-Forwards: 70\r\n' +
    'To: Bob <sip:bob@biloxi.example.com>\r\n' +
    'From: "Alice" <sip:alice@atlanta.example.com>;tag=1928301774\r\n' +
    'Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n' +
    'CSeq: 314159 INVITE\r\n' +
    'Contact: <sip:alice@pc33.atlanta.example.com;transport=udp>\r\n' +
    'Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE\r\n' +
    'Supported: timer, 100rel\r\n' +
    'User-Agent: bench/1.0\r\n' +
    'Content-Type: application/sdp\r\n' +
    `Content-Length: ${Buffer.byteLength(SDP)}\r\n\r\n${SDP}`,
);

const OPTS = { maxSize: 65535, datagram: true };

function parseOrThrow(buf: Buffer): SipMessage {
  const r = parseMessage(buf, OPTS);
  if (!r.ok) throw new Error(r.error.reason);
  return r.msg;
}

function rate(durationMs: number, fn: () => void): number {
  for (let i = 0; i < 2000; i++) fn(); // warm-up
  let n = 0;
  const start = process.hrtime.bigint();
  const limit = BigInt(durationMs) * 1_000_000n;
  let elapsed = 0n;
  while (elapsed < limit) {
    for (let i = 0; i < 500; i++) fn();
    n += 500;
    elapsed = process.hrtime.bigint() - start;
  }
  return Math.round(n / (Number(elapsed) / 1e9));
}

export async function benchSipParse(opts: { short: boolean }): Promise<{ name: string; figures: Record<string, number | string> }> {
  const ms = opts.short ? 300 : 2000;
  const msg = parseOrThrow(INVITE);
  let sink = 0;
  const parse = rate(ms, () => {
    sink += parseOrThrow(INVITE).headers.length;
  });
  const parseHot = rate(ms, () => {
    const m = parseOrThrow(INVITE);
    sink += m.cseq.seq + m.callId.length + (m.topVia()?.branch?.length ?? 0) + (m.fromTag?.length ?? 0);
  });
  const parseValidate = rate(ms, () => {
    if (validateRequest(parseOrThrow(INVITE)) !== null) sink++;
  });
  const serialise = rate(ms, () => {
    sink += serializeMessage(msg).length;
  });
  if (sink < 0) console.log(sink);
  return {
    name: 'sip-parse',
    figures: {
      messageBytes: INVITE.length,
      'parse/s': parse,
      'parse+callId/cseq/topVia/fromTag/s': parseHot,
      'parse+validate/s': parseValidate,
      'serialise/s': serialise,
    },
  };
}

runIfMain(import.meta.url, benchSipParse);
