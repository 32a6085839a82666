import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startProduct, type Product } from '../helpers/product-harness.js';
import { sleep } from '../helpers/media-calls.js';
import { RtpPeer } from '../helpers/rtp-peer.js';
import { runSipp, type SippResult } from '../helpers/sipp.js';
import { loudFrames, readWav, toneStrength } from '../helpers/audio-check.js';
import { callsConfig, clearBindings, deviceRow, expectEngineIdle, expectSipp, injection, putDeviceBinding, uas } from './calls-support.js';
import { mediaSettled } from '../helpers/media-harness.js';
import type { VoicemailMessage } from '../../src/store/voicemail-store.js';
import { speaks, toneRuns } from './voicemail-support.js';

// Voicemail (DOMAIN §8) on the embedded media server. Product 127.7.0.10, media server 127.7.0.11
// (RTP 26000–26200), caller 100 on 127.7.0.12, 101's registered device (a SIPp UAS) on
// 127.7.0.13, 101 dialling *97 from 127.7.0.14 / .15; the test's RTP peers on 26500–26520.
const PRODUCT = '127.7.0.10';
const GREETING_MS = 5238; // sounds/en/voicemail-greeting.wav
const BEEP_MS = 500;
const TONE_MS = 2000;

let p: Product;
let vmDir: string;

beforeAll(async () => {
  // 101 rings 2 s before voicemail takes the call (the demo says 20)
  const configText = callsConfig({ sbcHosts: ['127.7.0.16', '127.7.0.17'] }).replace("voicemail: { pin: '4321', afterSeconds: 20 }", "voicemail: { pin: '4321', afterSeconds: 2 }");
  if (!configText.includes('afterSeconds: 2 }')) throw new Error('config/default.yaml no longer gives 101 a mailbox');
  p = await startProduct({ sipHost: PRODUCT, configText, media: { host: '127.7.0.11', rtpStart: 26000 } });
  vmDir = mkdtempSync(join(tmpdir(), 'vm-test-'));
  p.ctx.config.media.voicemailDir = vmDir;
});

afterAll(async () => {
  await p?.stop();
});

async function until(what: string, ok: () => boolean, ms = 12000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

const messages = (): Promise<VoicemailMessage[]> => p.ctx.voicemail.list('demo', '101');

/** The mailbox once it holds `n` messages (the index is written just after the caller's hang-up). */
async function mailboxWith(n: number): Promise<VoicemailMessage[]> {
  let list = await messages();
  for (let i = 0; i < 50 && list.length !== n; i++) {
    await sleep(100);
    list = await messages();
  }
  return list;
}

/** A device call whose RTP is the test's own peer (`scenario` in sipp-scenarios/media). */
async function deviceCall(scenario: string, deviceUser: string, dialled: string, ip: string, rtpPort: number, holdMs?: number): Promise<{ peer: RtpPeer; done: Promise<SippResult>; kill(): void }> {
  const peer = await RtpPeer.bind(ip, rtpPort);
  peer.latch = true;
  const s = runSipp({
    scenario: `media/${scenario}.xml`,
    target: p.target,
    ip,
    port: 5060,
    calls: 1,
    timeoutSec: 40,
    injectionFile: injection([deviceRow(deviceUser)]),
    keys: { rtpport: String(rtpPort) },
    extra: ['-s', dialled, '-mp', String(rtpPort + 100)],
    ...(holdMs !== undefined && { durationMs: holdMs }),
  });
  return { peer, done: s.done, kill: s.kill };
}

/** 100 calls 101, talks a 1 kHz tone for 2 s once the recording runs, then hangs up. */
async function leaveMessage(rtpPort: number): Promise<void> {
  const call = await deviceCall('device-talks-then-hangs-up', '100', '101', '127.7.0.12', rtpPort, GREETING_MS + BEEP_MS + TONE_MS + 250);
  try {
    await until('the recording to start', () => p.media!.gauges().openRecordings > 0);
    await call.peer.sendTone(1000, TONE_MS);
    expectSipp(await call.done, 1, 'caller 100 left a message and hung up');
  } finally {
    call.peer.close();
    call.kill();
  }
  await until('the recording to end', () => p.media!.gauges().openRecordings === 0);
}

describe('voicemail: leaving a message', () => {
  it('nothing registered for 101: the caller hears the greeting, the tone is recorded to a WAV of ~2 s, the index has the message', async () => {
    await leaveMessage(26500);
    const list = await mailboxWith(1);
    expect(list).toHaveLength(1);
    const m = list[0]!;
    expect(m).toMatchObject({ caller: '100', isNew: true });
    expect(m.file.startsWith(join(vmDir, 'demo', '101') + '/')).toBe(true);
    expect(m.file).toMatch(/\/\d{8}T\d{6}Z_100\.wav$/);
    expect(existsSync(m.file)).toBe(true);
    const wav = readWav(m.file);
    const seconds = wav.samples[0]!.length / wav.rate;
    expect(seconds).toBeGreaterThan(1.7);
    expect(seconds).toBeLessThan(2.6);
    expect(Math.abs(m.durationMs / 1000 - seconds)).toBeLessThan(0.1);
    // the tone: ~2 s of loud 1 kHz frames
    expect(loudFrames(wav.samples[0]!)).toBeGreaterThan(90);
    expect(toneStrength(wav.samples[0]!.subarray(800, 800 + 8000), 1000)).toBeGreaterThan(0.5);
    await p.ctx.voicemail.remove('demo', '101', m.id);
  });

  it("101 on do-not-disturb (busy): the message is left and 101's registered device gets NOTIFY Messages-Waiting: yes, Voice-Message: 1/0", async () => {
    await putDeviceBinding(p, '101', '127.7.0.13');
    await p.ctx.settings.update('demo', '101', { dnd: true });
    const phone = uas('device-receives-mwi-yes-1-0', '127.7.0.13');
    try {
      await leaveMessage(26502);
      expectSipp(await phone.done, 1, '101 received MWI yes 1/0');
    } finally {
      phone.kill();
      await p.ctx.settings.update('demo', '101', { dnd: false });
    }
    expect((await mailboxWith(1)).filter((m) => m.isNew)).toHaveLength(1);
  });
});

describe('voicemail: *97', () => {
  it('101 dials *97, enters the PIN: the message plays (~2 s of 1 kHz), 7 deletes it and the device gets Messages-Waiting: no', async () => {
    const [left] = await messages();
    expect(left).toBeDefined();
    expect(existsSync(left!.file)).toBe(true);
    const phone = uas('device-receives-mwi-no-0-0', '127.7.0.13');
    const call = await deviceCall('device-offers-then-waits-for-bye', '101', '*97', '127.7.0.14', 26510);
    try {
      await until('the PIN prompt', () => call.peer.received.length >= 20);
      await call.peer.sendDigits('4321#');
      const from = performance.now();
      await sleep(2600);
      const heard = call.peer.audio(0, from);
      const ones = [];
      for (let f = 0; f + 800 <= heard.samples.length; f += 800) ones.push(toneStrength(heard.samples.subarray(f, f + 800), 1000));
      // 100 ms windows holding the 1 kHz message: about 2 s of them
      expect(ones.filter((s) => s > 0.5).length).toBeGreaterThanOrEqual(16);
      expect(ones.filter((s) => s > 0.5).length).toBeLessThanOrEqual(24);
      await sleep(500); // the menu prompt has started
      await call.peer.sendDigits('7');
      expectSipp(await phone.done, 1, '101 received MWI no 0/0');
      expectSipp(await call.done, 1, '*97 ended by the product (no more messages, goodbye)');
    } finally {
      call.peer.close();
      call.kill();
      phone.kill();
    }
    expect(await messages()).toEqual([]);
    expect(existsSync(left!.file)).toBe(false);
  });

  it('101 rings but nobody answers within afterSeconds: its device is CANCELled and the caller leaves a message', async () => {
    const ringing = uas('device-ring-until-cancel', '127.7.0.13');
    const started = Date.now();
    try {
      await leaveMessage(26504);
      expectSipp(await ringing.done, 1, '101 rang and was cancelled');
    } finally {
      ringing.kill();
    }
    expect(Date.now() - started).toBeGreaterThan(2000 + GREETING_MS + TONE_MS);
    const list = await mailboxWith(1);
    expect(list).toHaveLength(1);
    expect(list[0]!.durationMs).toBeGreaterThan(1700);
    expect(list[0]!.durationMs).toBeLessThan(2600);
  });

  it('*97: 9 saves the message (no longer new); the next *97 says there are no new messages, then plays the saved one, and 7 deletes it', async () => {
    const [left] = await messages();
    expect(left).toMatchObject({ isNew: true });
    /** dials *97, enters the PIN, waits for the message (~2 s of 1 kHz) and the menu after it, presses `key`; the 100 ms windows of prompts before the message */
    const heardThen = async (rtpPort: number, key: string): Promise<number> => {
      const call = await deviceCall('device-offers-then-waits-for-bye', '101', '*97', '127.7.0.14', rtpPort);
      try {
        await until('the PIN prompt', () => call.peer.received.length >= 20);
        await call.peer.sendDigits('4321#');
        const from = performance.now();
        // a late packet may split the tone into runs: their sum is the message
        const toneSeconds = (x: Float64Array): number => toneRuns(x, 8000, 1000, true).reduce((sum, r) => sum + r, 0);
        await until('the message to play out', () => toneSeconds(call.peer.audio(0, from).samples) >= 1.7, 20_000);
        const afterTone = call.peer.received.length;
        await until('the menu prompt', () => speaks(call.peer.audio(0).samples.subarray(afterTone * 160)), 10_000);
        const heard = call.peer.audio(0, from).samples;
        expect(toneSeconds(heard)).toBeLessThan(2.3);
        await call.peer.sendDigits(key);
        expectSipp(await call.done, 1, '*97 ended by the product');
        // speech before the message's first 1 kHz frame
        let firstTone = 0;
        while (firstTone + 160 <= heard.length && toneStrength(heard.subarray(firstTone, firstTone + 160), 1000) < 0.8) firstTone += 160;
        return firstTone / 8000;
      } finally {
        call.peer.close();
        call.kill();
      }
    };
    // a new message plays at once
    expect(await heardThen(26512, '9')).toBeLessThan(0.5);
    expect(await messages()).toEqual([expect.objectContaining({ id: left!.id, isNew: false })]);
    // a saved one after "You have no new messages." and "Your saved messages." (~1.4 s and ~1.7 s)
    expect(await heardThen(26514, '7')).toBeGreaterThan(2.5);
    expect(await messages()).toEqual([]);
    expect(existsSync(left!.file)).toBe(false);
  }, 60_000);

  it('*97, then 5 at the greeting menu: 101 records its own greeting (a 700 Hz tone ended by #); the next caller hears it instead of the standard one', async () => {
    expect(await messages()).toEqual([]);
    const owner = await deviceCall('device-offers-then-waits-for-bye', '101', '*97', '127.7.0.14', 26516);
    try {
      await until('the PIN prompt', () => owner.peer.received.length >= 20);
      await owner.peer.sendDigits('4321#');
      // "You have no new messages." (1.9 s), then the greeting menu, during which a key counts
      await sleep(2600);
      await owner.peer.sendDigits('5');
      await until('the greeting recording', () => p.media!.gauges().openRecordings === 1, 15_000);
      await owner.peer.sendTone(700, 1500);
      await owner.peer.sendDigits('#');
      expectSipp(await owner.done, 1, '*97 ended by the product (greeting saved, goodbye)');
    } finally {
      owner.peer.close();
      owner.kill();
    }
    const greeting = (await p.ctx.settings.get('demo', '101')).voicemailGreeting;
    expect(greeting).toMatch(/\/demo\/101\/greeting-\d+\.wav$/);
    const wav = readWav(greeting!);
    const seconds = wav.samples[0]!.length / wav.rate;
    expect(seconds).toBeGreaterThan(1.3);
    expect(seconds).toBeLessThan(2.3);
    expect(toneRuns(wav.samples[0]!, 8000, 700).reduce((a, r) => a + r, 0)).toBeGreaterThan(1.2);

    const caller = await deviceCall('device-talks-then-hangs-up', '100', '101', '127.7.0.12', 26518, 4500);
    try {
      expectSipp(await caller.done, 1, 'caller 100 heard the greeting and hung up');
    } finally {
      caller.peer.close();
      caller.kill();
    }
    // the greeting is what the caller heard: the tone, not the standard words
    const heard = caller.peer.audio(0).samples;
    expect(toneRuns(heard, 8000, 700).reduce((a, r) => a + r, 0)).toBeGreaterThan(1.2);
    let words = 0;
    for (let off = 0; off + 160 <= heard.length; off += 160) {
      const f = heard.subarray(off, off + 160);
      if (loudFrames(f) > 0 && toneStrength(f, 700) < 0.5 && toneStrength(f, 1000) < 0.5) words++;
    }
    expect(words).toBeLessThan(5);
    for (const m of await mailboxWith(1)) await p.ctx.voicemail.remove('demo', '101', m.id);
    await p.ctx.settings.update('demo', '101', { voicemailGreeting: null });
  }, 60_000);

  it('three wrong PINs hang up, each counted as an authentication failure', async () => {
    await clearBindings(p, ['101']);
    const failures = vi.spyOn(p.ctx.bans, 'recordFailure');
    const call = await deviceCall('device-offers-then-waits-for-bye', '101', '*97', '127.7.0.15', 26520);
    try {
      for (let i = 0; i < 3; i++) {
        const before = call.peer.received.length;
        await until(`PIN prompt ${i + 1}`, () => call.peer.received.length >= before + 20);
        await call.peer.sendDigits('1111#');
        await sleep(300);
      }
      expectSipp(await call.done, 1, 'hung up after three wrong PINs');
    } finally {
      call.peer.close();
      call.kill();
    }
    expect(failures.mock.calls.filter(([a]) => a === '127.7.0.15')).toHaveLength(3);
    failures.mockRestore();
    // nothing is left behind by any of these calls
    await expectEngineIdle(p);
    expect(await mediaSettled(p.media!)).toMatchObject({ channels: 0, rtpPorts: 0 });
  });
});
