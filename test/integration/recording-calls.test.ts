import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { startProduct, type Product } from '../helpers/product-harness.js';
import { RtpPeer } from '../helpers/rtp-peer.js';
import { runSipp, sippStartDelay } from '../helpers/sipp.js';
import { loudFrames, readWav, toneStrength } from '../helpers/audio-check.js';
import { mediaSettled } from '../helpers/media-harness.js';
import { sleep, until } from '../helpers/media-calls.js';
import { CdrCheck, EMERGENCY_SBC_PORT, callsConfig, clearBindings, deviceRow, putDeviceBinding, expectEngineIdle, expectSipp, injection, recordCalls } from './calls-support.js';
import type { CallRecord } from '../../src/app/calls/call-record.js';
import { leftMessages, sippLeavesToneMessage } from './voicemail-support.js';

// Call recording (DOMAIN §8, [001] "record all outgoing calls" on the emergency line): product
// 127.0.0.146, media server 127.0.0.147 (RTP 22300–22500), SBCs 127.0.0.148/.149 (e911sbc is the
// secondary's address, port 5062), lobby phone 102 at 127.0.0.180; 100 at 127.0.0.183 calls 101
// (recorded: `record: true` on the extension) at 127.0.0.184.
const E911_SBC = '127.0.0.149';
let p: Product;
let records: CallRecord[];
let cdrs: CdrCheck;

beforeAll(async () => {
  p = await startProduct({
    sipHost: '127.0.0.146',
    configText: callsConfig({ sbcHosts: ['127.0.0.148', E911_SBC], extensionExtras: { '101': '        record: true\n' } }),
    media: { host: '127.0.0.147', rtpStart: 22300 },
  });
  records = recordCalls(p);
  cdrs = new CdrCheck(p);
});

afterAll(async () => {
  await p?.stop();
});

/** The lobby phone 102 (127.0.0.180, CoS internal) dials 911 as SIPp `scenario`. */
function lobbyPhoneDials911(scenario: string, keys: Record<string, string> = {}): ReturnType<typeof runSipp> {
  return runSipp({ scenario, target: p.target, ip: '127.0.0.180', port: 5060, calls: 1, timeoutSec: 20, injectionFile: injection([deviceRow('102')]), keys, extra: ['-s', '911'] });
}

/**
 * The lobby phone 102 calls 911 with the test's own RTP peers on both ends; `sbcScenario`
 * is the emergency SBC's part. Both peers answer where the media server's RTP comes from.
 */
async function call911(sbcScenario: string, callerRtp: number, sbcRtp: number): Promise<{ callerPeer: RtpPeer; sbcPeer: RtpPeer; done: Promise<void> }> {
  const callerPeer = await RtpPeer.bind('127.0.0.180', callerRtp);
  const sbcPeer = await RtpPeer.bind(E911_SBC, sbcRtp);
  callerPeer.latch = true;
  sbcPeer.latch = true;
  const sbc = runSipp({ scenario: sbcScenario, ip: E911_SBC, port: EMERGENCY_SBC_PORT, calls: 1, timeoutSec: 20, keys: { rtpport: String(sbcRtp) } });
  await sippStartDelay();
  const caller = lobbyPhoneDials911('calls/device-call-rtpport-held-3s.xml', { rtpport: String(callerRtp) });
  const done = Promise.all([caller.done, sbc.done]).then(([c, sb]) => {
    expectSipp(c, 1, 'caller 102');
    expectSipp(sb, 1, 'emergency SBC');
  });
  // a test that fails before awaiting `done` reports its own failure, not this one as unhandled
  done.catch(() => undefined);
  // both ends start talking once the media server's RTP has reached them (symmetric RTP)
  await until('RTP from the media server on both legs', () => callerPeer.target !== undefined && sbcPeer.target !== undefined);
  return { callerPeer, sbcPeer, done };
}

describe('call recording through the media server', () => {
  it('911 (e911 has record: true) is anchored and recorded into one stereo WAV: caller left, callee right', async () => {
    const { callerPeer, sbcPeer, done } = await call911('calls/sbc-answer-rtpport-expects-911.xml', 23100, 23200);
    try {
      await until('the recording to start', () => p.media!.gauges().openRecordings > 0);
      await Promise.all([callerPeer.sendTone(1000, 1500), sbcPeer.sendTone(600, 1000)]);
      await done;
      // the audio crossed the bridge: each side heard the other's tone
      expect(toneStrength(callerPeer.audio(0).samples, 600)).toBeGreaterThan(0.2);
      expect(toneStrength(sbcPeer.audio(0).samples, 1000)).toBeGreaterThan(0.2);
    } finally {
      callerPeer.close();
      sbcPeer.close();
    }
    await until('the call record', () => records.some((r) => r.endedAt !== undefined));
    const rec = records[0]!;
    expect(rec).toMatchObject({ action: 'emergency', finalStatus: 200, recording: { reason: 'emergency line' } });
    expect(rec.recording!.file).toMatch(/\/\d{4}-\d\d-\d\d\/\d{6}_102_911_.+\.wav$/);
    expect(rec.recording!.seconds).toBeGreaterThan(2);
    const cdr = await cdrs.next({ caller: '102', dialled: '911', action: 'emergency', finalStatus: 200, trunks: ['e911sbc'], recording: { file: rec.recording!.file, reason: 'emergency line' } });
    expect(cdr.recording!.seconds).toBeGreaterThan(2);
    await expectEngineIdle(p);
    expect(await mediaSettled(p.media!)).toMatchObject({ channels: 0, openRecordings: 0 });
    expect(existsSync(rec.recording!.file)).toBe(true);
    const wav = readWav(rec.recording!.file);
    expect(wav.channels).toBe(2);
    expect(wav.rate).toBe(8000);
    const seconds = wav.samples[0]!.length / 8000;
    expect(seconds).toBeGreaterThan(2);
    expect(seconds).toBeLessThan(4.5);
    const [left, right] = wav.samples as [Float64Array, Float64Array];
    expect(toneStrength(left, 1000)).toBeGreaterThan(0.2);
    expect(toneStrength(left, 600)).toBeLessThan(0.05);
    expect(toneStrength(right, 600)).toBeGreaterThan(0.2);
    expect(toneStrength(right, 1000)).toBeLessThan(0.05);
    // 1.5 s and 1.0 s of tone: 75 and 50 loud 20 ms frames
    expect(Math.abs(loudFrames(left) - 75)).toBeLessThanOrEqual(6);
    expect(Math.abs(loudFrames(right) - 50)).toBeLessThanOrEqual(6);
  });

  it("a call to 101 (record: true on the extension) is recorded into one stereo WAV: each channel holds its side's tone for as long as it was sent", async () => {
    records.length = 0;
    await putDeviceBinding(p, '101', '127.0.0.184');
    const callerPeer = await RtpPeer.bind('127.0.0.183', 23110);
    const calleePeer = await RtpPeer.bind('127.0.0.184', 23210);
    callerPeer.latch = true;
    calleePeer.latch = true;
    try {
      const callee = runSipp({ scenario: 'calls/device-answer-rtpport-waits-for-bye.xml', ip: '127.0.0.184', port: 5060, calls: 1, timeoutSec: 20, keys: { rtpport: '23210' } });
      await sippStartDelay();
      const caller = runSipp({
        scenario: 'calls/device-call-rtpport-held-3s.xml',
        target: p.target,
        ip: '127.0.0.183',
        port: 5060,
        calls: 1,
        timeoutSec: 20,
        injectionFile: injection([deviceRow('100')]),
        keys: { rtpport: '23110' },
        extra: ['-s', '101'],
      });
      await until('RTP from the media server on both legs', () => callerPeer.target !== undefined && calleePeer.target !== undefined);
      await until('the recording to start', () => p.media!.gauges().openRecordings > 0);
      // different lengths, so that each channel's duration is checked, not only its frequency
      await Promise.all([callerPeer.sendTone(800, 1600), calleePeer.sendTone(1400, 800)]);
      const [c, d] = await Promise.all([caller.done, callee.done]);
      expectSipp(c, 1, 'caller 100');
      expectSipp(d, 1, 'device 101');
      expect(toneStrength(callerPeer.audio(0).samples, 1400)).toBeGreaterThan(0.1);
      expect(toneStrength(calleePeer.audio(0).samples, 800)).toBeGreaterThan(0.2);
    } finally {
      callerPeer.close();
      calleePeer.close();
    }
    await until('the call record', () => records.some((r) => r.endedAt !== undefined));
    const rec = records[0]!;
    expect(rec).toMatchObject({ action: 'local', finalStatus: 200, recording: { reason: 'callee extension' } });
    expect(rec.recording!.file).toMatch(/\/\d{4}-\d\d-\d\d\/\d{6}_100_101_.+\.wav$/);
    await cdrs.next({ caller: '100', dialled: '101', action: 'local', finalStatus: 200, trunks: [], recording: { file: rec.recording!.file, reason: 'callee extension' } });
    await expectEngineIdle(p);
    expect(await mediaSettled(p.media!)).toMatchObject({ channels: 0, openRecordings: 0 });
    const wav = readWav(rec.recording!.file);
    expect(wav.channels).toBe(2);
    const [left, right] = wav.samples as [Float64Array, Float64Array];
    expect(toneStrength(left, 800)).toBeGreaterThan(0.2);
    expect(toneStrength(left, 1400)).toBeLessThan(0.05);
    expect(toneStrength(right, 1400)).toBeGreaterThan(0.2);
    expect(toneStrength(right, 800)).toBeLessThan(0.05);
    // 1.6 s and 0.8 s of tone: 80 and 40 loud 20 ms frames (± a few at the edges and for jitter)
    expect(Math.abs(loudFrames(left) - 80)).toBeLessThanOrEqual(6);
    expect(Math.abs(loudFrames(right) - 40)).toBeLessThanOrEqual(6);
    await clearBindings(p, ['101']);
  });

  it("a recorded call's early media (the SBC's 183 with SDP) reaches the caller before the answer, through the media server", async () => {
    records.length = 0;
    const { callerPeer, sbcPeer, done } = await call911('calls/sbc-early-media-rtpport-then-answer-expects-911.xml', 23120, 23220);
    try {
      // the SBC answers 3 s after its 183: a recording starts only at the answer, so none is open while it plays its announcement
      expect(p.media!.gauges().openRecordings).toBe(0);
      await sbcPeer.sendTone(600, 1000);
      await sleep(100);
      expect(p.media!.gauges().openRecordings).toBe(0);
      expect(toneStrength(callerPeer.audio(0).samples, 600)).toBeGreaterThan(0.2);
      const early = callerPeer.audio(0).packets.length;
      await done;
      expect(early).toBeGreaterThan(40);
    } finally {
      callerPeer.close();
      sbcPeer.close();
    }
    await until('the call record', () => records.some((r) => r.endedAt !== undefined));
    expect(records[0]).toMatchObject({ action: 'emergency', finalStatus: 200, recording: { reason: 'emergency line' } });
    await cdrs.next({ caller: '102', dialled: '911', finalStatus: 200, recording: { file: records[0]!.recording!.file, reason: 'emergency line' } });
    await expectEngineIdle(p);
    expect(await mediaSettled(p.media!)).toMatchObject({ channels: 0, openRecordings: 0 });
  });

  it('a call to 101 (recorded) that nobody answers goes to its mailbox: voicemail answers the caller, the anchored endpoints are freed', async () => {
    records.length = 0;
    const caller = sippLeavesToneMessage(p, { deviceUser: '100', dialled: '101', ip: '127.0.0.183', mediaPort: 23130, toneMs: 2000 });
    expectSipp(await caller.done, 1, 'caller 100 answered by voicemail, played its tone and hung up');
    await until('the call record', () => records.some((r) => r.endedAt !== undefined));
    expect(records[0]!.attempts).toContainEqual({ target: 'voicemail 101', outcome: 200 });
    expect(records[0]!.recording).toBeUndefined();
    await cdrs.next({ caller: '100', dialled: '101' });
    const messages = await leftMessages(p, '101');
    expect(messages).toHaveLength(1);
    expect(toneStrength(readWav(messages[0]!.file).samples[0]!, 1000)).toBeGreaterThan(0.2);
    await p.ctx.voicemail.remove('demo', '101', messages[0]!.id);
    await expectEngineIdle(p);
    expect(await mediaSettled(p.media!)).toMatchObject({ channels: 0, rtpPorts: 0, openRecordings: 0 });
  });

  it('with the media server stopped, a 911 call still reaches the emergency SBC, unrecorded', async () => {
    records.length = 0;
    await p.media!.stop();
    const sbc = runSipp({ scenario: 'calls/sbc-answer-expects-911.xml', ip: E911_SBC, port: EMERGENCY_SBC_PORT, calls: 1, timeoutSec: 20 });
    await sippStartDelay();
    const caller = lobbyPhoneDials911('calls/device-call-answered-then-hang-up.xml');
    const [c, s] = await Promise.all([caller.done, sbc.done]);
    expectSipp(c, 1, 'caller 102');
    expectSipp(s, 1, 'emergency SBC');
    await until('the call record', () => records.some((r) => r.endedAt !== undefined));
    expect(records[0]).toMatchObject({ action: 'emergency', finalStatus: 200 });
    expect(records[0]!.recording).toBeUndefined();
    expect((await cdrs.next({ dialled: '911', finalStatus: 200 })).recording).toBeUndefined();
    await expectEngineIdle(p);
  });
});
