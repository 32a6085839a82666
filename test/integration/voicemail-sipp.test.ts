import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProduct, type Product } from '../helpers/product-harness.js';
import { sleep } from '../helpers/media-calls.js';
import { mediaSettled } from '../helpers/media-harness.js';
import { RtpPeer } from '../helpers/rtp-peer.js';
import { runSipp } from '../helpers/sipp.js';
import { readWav } from '../helpers/tone.js';
import { sippLeavesToneMessage, speaks, toneRuns } from './voicemail-support.js';
import { callsConfig, deviceRow, expectEngineIdle, expectSipp, injection, registerDevice, uas } from './calls-support.js';
import type { VoicemailMessage } from '../../src/store/voicemail-store.js';

// The acceptance test of voicemail, SIPp on both ends. Product 127.15.0.10, its media server
// 127.15.0.11 (RTP 27000–27200); caller 100 is SIPp on 127.15.0.12 (media port 27300) playing a
// pcap this test writes; 101's device is SIPp on 127.15.0.13, REGISTERED for real; 101 dials *97
// from 127.15.0.14 with the test's RTP peer on 27400 (it hears the message and presses keys).
const AFTER_SECONDS = 3;
const TONE_MS = 3000;
const DEVICE_101 = '127.15.0.13';

let p: Product;

beforeAll(async () => {
  const configText = callsConfig({ sbcHosts: ['127.15.0.16', '127.15.0.17'] }).replace("voicemail: { pin: '4321', afterSeconds: 20 }", `voicemail: { pin: '4321', afterSeconds: ${AFTER_SECONDS} }`);
  if (!configText.includes(`afterSeconds: ${AFTER_SECONDS} }`)) throw new Error('config/default.yaml no longer gives 101 a mailbox');
  p = await startProduct({ sipHost: '127.15.0.10', configText, media: { host: '127.15.0.11', rtpStart: 27000 } });
});

afterAll(async () => {
  await p?.stop();
});

async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 15000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const messages = (): Promise<VoicemailMessage[]> => p.ctx.voicemail.list('demo', '101');

describe('voicemail acceptance (SIPp): no answer → mailbox → MWI → *97', () => {
  let left: VoicemailMessage;

  it(`101 registered, rings ${AFTER_SECONDS} s unanswered and is CANCELled; caller 100 (SIPp) sends a 3 s 1 kHz tone and hangs up; the WAV holds it; 101 gets Messages-Waiting: yes`, async () => {
    await registerDevice(p, '101', DEVICE_101);
    const ringing = uas('device-ring-until-cancel', DEVICE_101, 5060);
    await sleep(300); // SIPp binds at start
    const started = Date.now();
    const caller = sippLeavesToneMessage(p, { deviceUser: '100', dialled: '101', ip: '127.15.0.12', mediaPort: 27300, toneMs: TONE_MS });
    let mwi: ReturnType<typeof uas> | undefined;
    try {
      expectSipp(await ringing.done, 1, "101's registered device rang and was CANCELled");
      expect(Date.now() - started).toBeGreaterThanOrEqual(AFTER_SECONDS * 1000 - 100);
      // the same address and port now waits for the MWI (the message is left seconds later; UDP retransmits anyway)
      mwi = uas('device-receives-mwi-yes-1-0', DEVICE_101, 5060);
      expectSipp(await caller.done, 1, 'caller 100 was answered by voicemail, played the pcap and hung up');
      expectSipp(await mwi.done, 1, '101 received NOTIFY message-summary Messages-Waiting: yes, 1/0');
    } finally {
      caller.kill();
      ringing.kill();
      mwi?.kill();
    }
    await until('the message in the index', async () => (await messages()).length === 1);
    [left] = await messages();
    expect(left).toMatchObject({ caller: '100', isNew: true });
    expect(existsSync(left.file)).toBe(true);
    const wav = readWav(left.file);
    const runs = toneRuns(wav.samples, wav.rate, 1000);
    // one unbroken 1 kHz run of 3 s (±0.3): what SIPp played, nothing else
    expect(runs.filter((r) => r >= 0.2)).toHaveLength(1);
    const tone = Math.max(...runs);
    expect(tone).toBeGreaterThan(2.7);
    expect(tone).toBeLessThan(3.3);
    expect(left.durationMs / 1000).toBeGreaterThan(tone);
  }, 90_000);

  it("101 dials *97 and enters the PIN: the message plays (RTP of 1 kHz for ~3 s); 7 deletes it and 101's device gets Messages-Waiting: no", async () => {
    expect(left).toBeDefined();
    const mwiNo = uas('device-receives-mwi-no-0-0', DEVICE_101, 5060);
    const peer = await RtpPeer.bind('127.15.0.14', 27400);
    peer.latch = true;
    const call = runSipp({
      scenario: 'media/device-offers-then-waits-for-bye.xml',
      target: p.target,
      ip: '127.15.0.14',
      port: 5060,
      calls: 1,
      timeoutSec: 60,
      injectionFile: injection([deviceRow('101')]),
      keys: { rtpport: '27400' },
      extra: ['-s', '*97', '-mp', '27500'],
    });
    try {
      await until('the PIN prompt', () => peer.received.length >= 20);
      await peer.sendDigits('4321#');
      const from = performance.now();
      // the message, then the menu prompt: wait until a 1 kHz run has started and ended
      await until('the message to play out', () => toneRuns(peer.audio(0, from).samples, 8000, 1000, true).some((r) => r >= 0.2), 20_000);
      const runs = toneRuns(peer.audio(0, from).samples, 8000, 1000).filter((r) => r >= 0.2);
      expect(runs).toHaveLength(1);
      expect(runs[0]!).toBeGreaterThan(2.7);
      expect(runs[0]!).toBeLessThan(3.3);
      // a key during the message's trailing silence would only stop it: press 7 once the menu speaks
      const afterTone = peer.received.length;
      await until('the menu prompt', () => speaks(peer.audio(0).samples.subarray(afterTone * 160)), 10_000);
      await peer.sendDigits('7');
      expectSipp(await mwiNo.done, 1, '101 received NOTIFY Messages-Waiting: no, 0/0');
      expectSipp(await call.done, 1, '*97 ended by the product (no more messages, goodbye)');
    } finally {
      peer.close();
      call.kill();
      mwiNo.kill();
    }
    expect(await messages()).toEqual([]);
    expect(existsSync(left.file)).toBe(false);
  }, 90_000);

  it('nothing is left behind: no transaction or dialog in the engine, no channel on the media server', async () => {
    await expectEngineIdle(p);
    expect(await mediaSettled(p.media!)).toMatchObject({ channels: 0, rtpPorts: 0 });
  });
});
