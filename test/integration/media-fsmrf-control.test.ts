import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import Mrf from 'drachtio-fsmrf';
import type Srf from 'drachtio-srf';
import { mediaSettled, startMediaHarness, type MediaHarness } from '../helpers/media-harness.js';
import { aim, inviteRouter, placeCall, sleep } from '../helpers/media-calls.js';
import { join } from 'node:path';
import { dominant, loudFrames, readWav } from '../helpers/audio-check.js';
import { startMediaServer } from '../../src/media/media-server.js';

// fsmrf operations beyond play/record: variables (uuid_dump), modify (re-INVITE), send_dtmf towards
// the caller (checked by the test's own RTP peer), mute, tone_stream, and two media servers in one process.
const IP = '127.1.12.5';
let h: MediaHarness;
let router: ReturnType<typeof inviteRouter>;

beforeAll(async () => {
  h = await startMediaHarness(IP, { rtpStart: 36000 });
  router = inviteRouter(h.srf);
});
afterAll(async () => {
  await h?.stop();
});

function connectNext(): Promise<{ ep: Mrf.Endpoint; dialog: Srf.Dialog }> {
  return new Promise((resolve, reject) =>
    router.next((req, res) =>
      h.ms.connectCaller(req, res).then(({ endpoint, dialog }) => {
        endpoint.on('destroy', () => dialog.destroy());
        resolve({ ep: endpoint, dialog });
      }, reject),
    ),
  );
}

describe('fsmrf endpoint control', () => {
  it('getChannelVariables(true) reads uuid_dump with media stats; set/export land in the channel', async () => {
    const ep = await h.ms.createEndpoint();
    await ep.set({ alpha: 'one', beta: 'two words' });
    await ep.set('gamma', 'a:b;c');
    const vars = await ep.getChannelVariables(true);
    expect(vars['variable_alpha']).toBe('one');
    expect(vars['variable_beta']).toBe('two words');
    expect(vars['variable_gamma']).toBe('a:b;c');
    expect(vars['variable_sip_user_agent']).toMatch(/^drachtio-fsmrf:/);
    expect(vars['variable_rtp_local_sdp_str']).toBe(ep.local.sdp);
    expect(typeof vars['variable_rtp_audio_in_packet_count']).toBe('number');
    expect((await ep.api('uuid_getvar', [ep.uuid, 'alpha'])).body).toBe('one');
    await ep.destroy();
  });

  it('send_dtmf reaches the caller as RFC 4733 (end bit, 3 end packets); modify re-targets RTP; mute silences what the MS hears', async () => {
    const epP = connectNext();
    const call = await placeCall(IP, 5111, 42000);
    const { ep, dialog } = await epP;
    aim(call, ep);
    await ep.execute('send_dtmf', '7@200');
    const te = call.peer.received.filter((r) => r.pt === 101);
    expect(te.length).toBeGreaterThanOrEqual(10);
    expect(te.every((r) => r.payload[0] === 7 && r.ts === te[0]!.ts)).toBe(true);
    expect(te[0]!.marker).toBe(true);
    expect(te.filter((r) => (r.payload[1]! & 0x80) !== 0).length).toBe(3);
    expect(te[te.length - 1]!.payload.readUInt16BE(2)).toBe(1600);
    // re-INVITE towards a second peer port: media follows
    const { RtpPeer } = await import('../helpers/rtp-peer.js');
    const peer2 = await RtpPeer.bind(IP, 42002);
    const sdp2 = ep.remote.sdp.replace(/m=audio \d+/, 'm=audio 42002');
    await ep.modify(sdp2);
    const t0 = performance.now();
    await ep.play('tone_stream://%(400,0,1000)');
    await sleep(100);
    const got = peer2.audio(0, t0).samples;
    expect(loudFrames(got)).toBeGreaterThan(15);
    expect(dominant(got, [440, 1000])).toBe(1000);
    // mute: what the caller sends is not heard (recorded) while muted
    peer2.target = { address: ep.local.mediaIp, port: Number(ep.local.mediaPort) };
    await ep.mute();
    const sendingMuted = peer2.sendTone(700, 700);
    await ep.record(join(h.recordings, 'muted.wav'), { timeLimitSecs: 1 });
    await sendingMuted;
    await ep.unmute();
    const sending = peer2.sendTone(700, 1300);
    await ep.record(join(h.recordings, 'unmuted.wav'), { timeLimitSecs: 1 });
    await sending;
    expect(loudFrames(readWav(join(h.recordings, 'muted.wav')).samples[0]!)).toBe(0);
    expect(loudFrames(readWav(join(h.recordings, 'unmuted.wav')).samples[0]!)).toBeGreaterThan(30);
    peer2.close();
    await ep.destroy();
    dialog.destroy();
    expect((await call.sipp).code).toBe(0);
    call.peer.close();
    expect(await mediaSettled(h.media)).toMatchObject({ channels: 0, rtpPorts: 0, outboundSockets: 0 });
  });

  it('BYE from the app mid-play and mid-record_session: the channel ends, every gauge returns to zero', async () => {
    const ep = await h.ms.createEndpoint();
    await ep.recordSession(join(h.recordings, 'bye-mid.wav'));
    const playing = ep.play('silence_stream://5000').catch(() => undefined);
    await sleep(200);
    expect(h.media.gauges()).toMatchObject({ channels: 1, openRecordings: 1, outboundSockets: 1, rtpPorts: 1 });
    ep.dialog.destroy();
    await playing;
    expect(await mediaSettled(h.media)).toMatchObject({ channels: 0, rtpPorts: 0, outboundSockets: 0, openRecordings: 0 });
    expect(readWav(join(h.recordings, 'bye-mid.wav')).samples[0]!.length).toBeGreaterThan(800);
  });

  it('uuid_record start/stop over the api', async () => {
    const ep = await h.ms.createEndpoint();
    const file = join(h.recordings, 'api-rec.wav');
    expect(await h.ms.api(`uuid_record ${ep.uuid} start ${file}`)).toBe('+OK Success\n');
    await sleep(300);
    expect(await h.ms.api(`uuid_record ${ep.uuid} stop ${file}`)).toBe('+OK Success\n');
    expect(readWav(file).samples[0]!.length).toBeGreaterThan(1600);
    expect(await h.ms.api('uuid_record 123 start /tmp/x.wav')).toBe('-ERR Cannot locate session!\n');
    await ep.destroy();
  });

  it('two media servers in one process: distinct addresses, ports and profiles', async () => {
    const ip2 = '127.1.12.6';
    const other = await startMediaServer({
      eslAddress: ip2,
      eslPort: 8021,
      sipAddress: ip2,
      sipPort: 5080,
      rtpRangeStart: 36500,
      rtpRangeEnd: 36600,
      profile: 'second_mrf',
      logger: pino({ level: 'silent' }),
    });
    const ms2 = await new Mrf(h.srf).connect({ address: ip2, port: 8021, secret: 'ClueCon', listenAddress: IP, profile: 'second_mrf' });
    const [a, b] = await Promise.all([h.ms.createEndpoint(), ms2.createEndpoint()]);
    expect(a.local.mediaIp).toBe(IP);
    expect(b.local.mediaIp).toBe(ip2);
    expect(h.media.gauges().channels).toBe(1);
    expect(other.gauges().channels).toBe(1);
    await a.bridge(b).then(
      () => expect.unreachable('channels of different servers cannot be bridged'),
      () => undefined,
    );
    await Promise.all([a.destroy(), b.destroy()]);
    ms2.disconnect();
    expect(await mediaSettled(other)).toMatchObject({ channels: 0, rtpPorts: 0 });
    await other.stop();
  });
});
