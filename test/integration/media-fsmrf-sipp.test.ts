import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Mrf from 'drachtio-fsmrf';
import type Srf from 'drachtio-srf';
import { mediaSettled, startMediaHarness, type MediaHarness } from '../helpers/media-harness.js';
import { aim, inviteRouter, placeCall, sleep } from '../helpers/media-calls.js';
import { dominant, loudFrames, readWav, writeToneWav } from '../helpers/audio-check.js';

// Acceptance: unmodified drachtio-fsmrf on the embedded engine + media server, SIPp callers whose
// RTP is the test's own independent code.
const IP = '127.1.12.2';
const sounds = mkdtempSync(join(tmpdir(), 'media-sounds-'));
let h: MediaHarness;
let router: ReturnType<typeof inviteRouter>;

beforeAll(async () => {
  writeToneWav(join(sounds, 'tone440.wav'), 440, 1000);
  writeToneWav(join(sounds, 'tone600-16k.wav'), 600, 800, 16000);
  h = await startMediaHarness(IP, { rtpStart: 32000, soundsDir: sounds });
  router = inviteRouter(h.srf);
});
afterAll(async () => {
  await h?.stop();
});

interface Connected {
  ep: Mrf.Endpoint;
  /** the caller's dialog: the app hangs it up when the endpoint goes */
  dialog: Srf.Dialog;
}

function connectNext(): Promise<Connected> {
  return new Promise((resolve, reject) =>
    router.next((req, res) =>
      h.ms.connectCaller(req, res).then(({ endpoint, dialog }) => {
        endpoint.on('destroy', () => dialog.destroy());
        resolve({ ep: endpoint, dialog });
      }, reject),
    ),
  );
}

async function hangUp(c: Connected): Promise<void> {
  await c.ep.destroy();
  c.dialog.destroy();
}

describe('fsmrf + SIPp callers', () => {
  it('connectCaller; play of an 8 kHz and a 16 kHz WAV reaches the caller for the file duration at 50 packets/s; destroy sends BYE', async () => {
    const epP = connectNext();
    const call = await placeCall(IP, 5101, 41000);
    const conn = await epP;
    const ep = conn.ep;
    aim(call, ep);
    const start = performance.now();
    const r = await ep.play('tone440.wav');
    expect(r.playbackSeconds).toBe('1');
    expect(r.playbackMilliseconds).toBe('1000');
    await ep.play('tone600-16k.wav');
    await sleep(150);
    await hangUp(conn);
    expect((await call.sipp).code).toBe(0);
    const all = call.peer.audio(0, start);
    const loud = all.packets.filter((_p, i) => loudFrames(all.samples.subarray(i * 160, i * 160 + 160)) === 1);
    // 1000 ms + 800 ms of tone = 90 packets
    expect(loud.length).toBeGreaterThanOrEqual(87);
    expect(loud.length).toBeLessThanOrEqual(93);
    // the 440 Hz file: its 50 packets (told from the 600 Hz ones by their tone, not by arrival gaps,
    // which a busy machine can open anywhere) span ~980 ms between first and last arrival
    const firstFile = loud.filter((p) => dominant(all.samples.subarray(all.packets.indexOf(p) * 160, all.packets.indexOf(p) * 160 + 160), [440, 600]) === 440);
    expect(firstFile.length).toBeGreaterThanOrEqual(48);
    const span = firstFile[firstFile.length - 1]!.at - firstFile[0]!.at + 20;
    expect(Math.abs(span - 1000)).toBeLessThan(60);
    const tone = call.peer.audio(0, firstFile[0]!.at).samples.subarray(0, 8000);
    expect(dominant(tone, [440, 600, 1000])).toBe(440);
    call.peer.close();
    expect(await mediaSettled(h.media)).toMatchObject({ channels: 0, outboundSockets: 0, rtpPorts: 0 });
  });

  it('playCollect returns digits sent as RFC 4733 by the test peer', async () => {
    const epP = connectNext();
    const call = await placeCall(IP, 5102, 41010);
    const conn = await epP;
    const ep = conn.ep;
    aim(call, ep);
    const dtmf: string[] = [];
    ep.on('dtmf', (e: { dtmf: string }) => dtmf.push(e.dtmf));
    const collected = ep.playCollect({ file: 'silence_stream://3000', min: 3, max: 3, tries: 1, timeout: 4000 });
    await sleep(300);
    await call.peer.sendDigits('194');
    const r = await collected;
    expect(r.digits).toBe('194');
    expect(dtmf.join('')).toBe('194');
    await hangUp(conn);
    expect((await call.sipp).code).toBe(0);
    call.peer.close();
  });

  it('record writes a WAV with the caller tone for the time limit', async () => {
    const epP = connectNext();
    const call = await placeCall(IP, 5103, 41020);
    const conn = await epP;
    const ep = conn.ep;
    aim(call, ep);
    const file = join(h.recordings, 'rec-1000.wav');
    const sending = call.peer.sendTone(1000, 2600);
    const r = await ep.record(file, { timeLimitSecs: 2 });
    await sending;
    expect(r.recordSeconds).toBe('2');
    const w = readWav(file);
    expect(w.channels).toBe(1);
    expect(Math.abs(w.samples[0]!.length / 8000 - 2)).toBeLessThan(0.05);
    expect(dominant(w.samples[0]!, [440, 700, 1000, 1500])).toBe(1000);
    await hangUp(conn);
    expect((await call.sipp).code).toBe(0);
    call.peer.close();
  });

  it('jitter tolerance: a tone sent with reordering and ±15 ms jitter records without gaps', async () => {
    const epP = connectNext();
    const call = await placeCall(IP, 5108, 41070);
    const conn = await epP;
    const ep = conn.ep;
    aim(call, ep);
    const file = join(h.recordings, 'jitter.wav');
    try {
      const sending = call.peer.sendJitteredTone(1000, 2000, 15);
      await sleep(300);
      await ep.record(file, { timeLimitSecs: 1 });
      await sending;
      const w = readWav(file).samples[0]!;
      // 50 frames in the second; a busy machine may delay the test's own sender past the jitter buffer now and then
      expect(loudFrames(w)).toBeGreaterThanOrEqual(45);
      expect(dominant(w, [440, 700, 1000, 1500])).toBe(1000);
    } finally {
      await hangUp(conn);
    }
    expect((await call.sipp).code).toBe(0);
    call.peer.close();
  });

  it('recordSession (stereo) records the caller left and the prompt right', async () => {
    const epP = connectNext();
    const call = await placeCall(IP, 5104, 41030);
    const conn = await epP;
    const ep = conn.ep;
    aim(call, ep);
    const file = join(h.recordings, 'session.wav');
    await ep.set('RECORD_STEREO', 'true');
    await ep.recordSession(file);
    const sending = call.peer.sendTone(1000, 1200);
    await ep.play('tone440.wav');
    await sending;
    await ep.execute('stop_record_session', file);
    const w = readWav(file);
    expect(w.channels).toBe(2);
    const secs = w.samples[0]!.length / 8000;
    expect(secs).toBeGreaterThan(1.0);
    expect(secs).toBeLessThan(1.6);
    expect(w.dataBytesInHeader).toBe(w.samples[0]!.length * 4);
    expect(dominant(w.samples[0]!, [440, 1000])).toBe(1000);
    expect(dominant(w.samples[1]!, [440, 1000])).toBe(440);
    await hangUp(conn);
    expect((await call.sipp).code).toBe(0);
    call.peer.close();
    expect(await mediaSettled(h.media)).toMatchObject({ openRecordings: 0, channels: 0 });
  });

  it('two createEndpoint + bridge relay audio between two SIPp callers, PCMU ↔ PCMA', async () => {
    const eps: Mrf.Endpoint[] = [];
    const dialogs: Srf.Dialog[] = [];
    const ready = [0, 1].map(
      () =>
        new Promise<void>((resolve, reject) =>
          router.next((req, res) => {
            h.ms
              .createEndpoint({ remoteSdp: req.body })
              .then(async (ep) => {
                eps.push(ep);
                dialogs.push(await h.srf.createUAS(req, res, { localSdp: ep.local.sdp }));
                resolve();
              })
              .catch(reject);
          }),
        ),
    );
    const c1 = await placeCall(IP, 5105, 41040, '0');
    await ready[0];
    const c2 = await placeCall(IP, 5106, 41050, '8');
    await ready[1];
    const [e1, e2] = eps as [Mrf.Endpoint, Mrf.Endpoint];
    aim(c1, e1);
    aim(c2, e2);
    await e1.bridge(e2);
    const t0 = performance.now();
    await Promise.all([c1.peer.sendTone(700, 1000, 0), c2.peer.sendTone(1500, 1000, 8)]);
    await sleep(200);
    const at2 = c2.peer.audio(8, t0).samples;
    const at1 = c1.peer.audio(0, t0).samples;
    expect(loudFrames(at2)).toBeGreaterThan(40);
    expect(loudFrames(at1)).toBeGreaterThan(40);
    expect(dominant(at2, [700, 1500, 440])).toBe(700);
    expect(dominant(at1, [700, 1500, 440])).toBe(1500);
    // unbridge (uuid_transfer -both park inline): the legs are parked, audio no longer crosses
    await e1.unbridge();
    const t1 = performance.now();
    await c1.peer.sendTone(700, 500, 0);
    await sleep(100);
    expect(loudFrames(c2.peer.audio(8, t1).samples)).toBe(0);
    await e1.destroy();
    await e2.destroy();
    dialogs.forEach((d) => d.destroy());
    expect((await c1.sipp).code).toBe(0);
    expect((await c2.sipp).code).toBe(0);
    c1.peer.close();
    c2.peer.close();
    expect(await mediaSettled(h.media)).toMatchObject({ channels: 0, outboundSockets: 0, rtpPorts: 0 });
  });

  it('the app disconnecting mid-call ends its channel: BYE to the caller, gauges back to zero', async () => {
    const epP = connectNext();
    const call = await placeCall(IP, 5107, 41060);
    const { ep } = await epP;
    void ep.play('silence_stream://10000').catch(() => undefined);
    await sleep(200);
    (ep as unknown as { conn: { socket: { destroy(): void } } }).conn.socket.destroy();
    expect((await call.sipp).code).toBe(0);
    call.peer.close();
    expect(await mediaSettled(h.media)).toMatchObject({ channels: 0, outboundSockets: 0, rtpPorts: 0, openRecordings: 0 });
  });
});
