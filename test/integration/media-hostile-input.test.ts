import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import type Mrf from 'drachtio-fsmrf';
import { mediaSettled, startMediaHarness, type MediaHarness } from '../helpers/media-harness.js';
import { RawEsl } from '../helpers/esl-client.js';
import { sleep } from '../helpers/media-calls.js';

// Hostile input on every seam is answered or ignored; afterwards a normal endpoint works and every
// gauge is back to zero.
const IP = '127.1.12.3';
let h: MediaHarness;

beforeAll(async () => {
  h = await startMediaHarness(IP, { rtpStart: 35000 });
});
afterAll(async () => {
  await h?.stop();
});

async function normalEndpointWorks(): Promise<void> {
  const ep = await h.ms.createEndpoint();
  const r = await ep.play('silence_stream://100');
  expect(r.playbackMilliseconds).toBe('100');
  await ep.destroy();
  expect(await mediaSettled(h.media)).toMatchObject({ channels: 0, outboundSockets: 0, rtpPorts: 0, openRecordings: 0 });
}

function destroyed(ep: Mrf.Endpoint): Promise<void> {
  return new Promise((r) => ep.once('destroy', () => r()));
}

describe('hostile input', () => {
  it('malformed event-socket frames: unknown commands get -ERR, an endless header block closes only that connection', async () => {
    const c = await RawEsl.open(IP, h.media.esl.port);
    await c.frame();
    c.send('auth ClueCon\n\n');
    await c.frame();
    c.send('\u0000\u00ff%%%\n: no name\n\n');
    expect((await c.frame()).headers['Reply-Text']).toBe('-ERR command not found');
    c.send(`api status\nContent-Length: 5\n\nabcde`);
    expect((await c.frame()).body).toMatch(/^UP /);
    c.send('y'.repeat(70_000));
    expect(await c.closedWithin(2000)).toBe(true);
    await normalEndpointWorks();
  });

  it('an unknown app (and say/speak/conference, whose modules are missing) hangs the channel up as FreeSWITCH does', async () => {
    for (const app of ['no_such_app', 'speak', 'say', 'conference']) {
      const ep = await h.ms.createEndpoint();
      const gone = destroyed(ep);
      void ep.execute(app, 'x').catch(() => undefined);
      await gone;
    }
    expect(await h.ms.api('conference x list count')).toBe('-ERR conference Command not found!\n');
    await normalEndpointWorks();
  });

  it('a bad SDP gets 488, an INVITE not from fsmrf gets 404', async () => {
    const uri = `sip:drachtio@${IP}:5080`;
    const bad = h.srf.createUAC(uri, { localSdp: 'v=0\r\nthis is not sdp\r\n', headers: { 'User-Agent': 'drachtio-fsmrf:1234', 'X-esl-outbound': `${IP}:1` } });
    await expect(bad).rejects.toMatchObject({ status: 488 });
    const noCodec = h.srf.createUAC(uri, {
      localSdp: `v=0\r\no=- 1 1 IN IP4 ${IP}\r\ns=-\r\nc=IN IP4 ${IP}\r\nt=0 0\r\nm=audio 4000 RTP/AVP 18\r\na=rtpmap:18 G729/8000\r\n`,
      headers: { 'User-Agent': 'drachtio-fsmrf:1235' },
    });
    await expect(noCodec).rejects.toMatchObject({ status: 488 });
    const stranger = h.srf.createUAC(uri, { headers: { 'User-Agent': 'somebody' } });
    await expect(stranger).rejects.toMatchObject({ status: 404 });
    await normalEndpointWorks();
  });

  it('a CANCEL racing the answer, and an outbound socket nobody listens on, still leave every gauge at zero', async () => {
    const uri = `sip:drachtio@${IP}:5080`;
    const cancelled = h.srf.createUAC(uri, { headers: { 'User-Agent': 'drachtio-fsmrf:cancel-1', 'X-esl-outbound': `${IP}:9` } }, {
      cbRequest: (_err: unknown, req: { cancel(): void }) => req.cancel(),
    } as never);
    await cancelled.then(
      (d) => d.destroy(),
      () => undefined,
    );
    const refused = await h.srf.createUAC(uri, { headers: { 'User-Agent': 'drachtio-fsmrf:refused-1', 'X-esl-outbound': `${IP}:9` } }).catch(() => undefined);
    if (refused) await new Promise<void>((r) => ((refused as unknown as { connected: boolean }).connected === false ? r() : refused.on('destroy', () => r())));
    expect(await mediaSettled(h.media)).toMatchObject({ channels: 0, outboundSockets: 0, rtpPorts: 0, openRecordings: 0 });
    await normalEndpointWorks();
  });

  it('RTP garbage on a channel port is ignored and the channel keeps working', async () => {
    const ep = await h.ms.createEndpoint();
    const s = createSocket('udp4');
    await new Promise<void>((r) => s.bind(0, IP, () => r()));
    const port = Number(ep.local.mediaPort);
    const junk = [
      Buffer.alloc(0),
      Buffer.from([0x80]),
      randomBytes(3),
      Buffer.from([0x40, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1]),
      Buffer.concat([Buffer.from([0x9f, 0x00]), randomBytes(10)]),
      Buffer.from([0xa0, 0x00, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0xff]),
    ];
    for (let i = 0; i < 200; i++) junk.push(randomBytes(1 + (i % 300)));
    for (const j of junk) s.send(j, port, IP);
    await sleep(100);
    const r = await ep.play('silence_stream://100');
    expect(r.playbackMilliseconds).toBe('100');
    const vars = await ep.getChannelVariables(true);
    expect(Number(vars['variable_rtp_audio_in_packet_count'])).toBeGreaterThan(100);
    s.close();
    await ep.destroy();
    await normalEndpointWorks();
  });

  it('a missing file answers FILE NOT FOUND (fsmrf rejects) and the channel stays up', async () => {
    const ep = await h.ms.createEndpoint();
    await expect(ep.play('/no/such/file.wav')).rejects.toThrow(/File Not Found/i);
    expect(ep.connected).toBe(true);
    await ep.destroy();
    await normalEndpointWorks();
  });
});
