import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProduct, type Product } from '../helpers/product-harness.js';
import { placeCall, sleep, until, type TestCall } from '../helpers/media-calls.js';
import { runSipp } from '../helpers/sipp.js';
import { readWav, toneStrength } from '../helpers/audio-check.js';
import { mediaSettled } from '../helpers/media-harness.js';
import { callsConfig, clearBindings, expectEngineIdle, expectSipp, putDeviceBinding, recordCalls } from './calls-support.js';
import type { CallRecord } from '../../src/app/calls/call-record.js';
import { leftMessages } from './voicemail-support.js';

// The demo auto-attendant (config/default.yaml: the main line, DNIS 4165550100 → application attendant) on the
// embedded media server. Product 127.0.0.154, media server 127.0.0.155 (RTP 22000–22200),
// carrier SBCs 127.0.0.156/.157 (the caller comes from the primary), devices 127.0.0.158–159.
const SBC = '127.0.0.156';
const ATTENDANT = '4165550100';

let p: Product;
let records: CallRecord[];

beforeAll(async () => {
  // one try and a 1 s timeout instead of the demo's 3 tries and 5 s, so that a failing menu ends in seconds
  const config = callsConfig({ sbcHosts: [SBC, '127.0.0.157'] }).replace('          tries: 3\n', '          tries: 1\n          timeoutSeconds: 1\n');
  p = await startProduct({ sipHost: '127.0.0.154', configText: config, media: { host: '127.0.0.155', rtpStart: 22000 } });
  records = recordCalls(p);
});

afterAll(async () => {
  await p?.stop();
});

/** A carrier caller to the attendant whose RTP is the test's own peer, answering where the prompts come from. */
async function callAttendant(rtpPort: number): Promise<TestCall> {
  const call = await placeCall(SBC, 5063, rtpPort, '0 8', p.target, ATTENDANT);
  call.peer.latch = true;
  return call;
}

describe('IVR (DOMAIN §8): the demo auto-attendant on the embedded media server', () => {
  it('the caller is answered and hears the menu prompt; 0 plays goodbye and the IVR hangs up', async () => {
    const call = await callAttendant(23000);
    try {
      await until('the menu prompt', () => call.peer.received.length >= 50);
      const { packets } = call.peer.audio(0);
      expect(packets.length).toBeGreaterThanOrEqual(50);
      await call.peer.sendDigits('0');
      const r = await call.sipp;
      expectSipp(r, 1, 'caller hung up by the IVR');
    } finally {
      call.peer.close();
    }
    await until('the call record', () => records.some((x) => x.dialled === ATTENDANT && x.endedAt !== undefined));
    const rec = records.find((x) => x.dialled === ATTENDANT)!;
    expect(rec).toMatchObject({ action: 'application', finalStatus: 200, ivr: ['attendant: 0 → hang up'] });
    await expectEngineIdle(p);
    expect(await mediaSettled(p.media!)).toMatchObject({ channels: 0, rtpPorts: 0 });
  });

  it('option 2 transfers to extension 102: its device answers, audio flows both ways through the media server, its BYE ends the caller', async () => {
    records.length = 0;
    await putDeviceBinding(p, '102', '127.0.0.158');
    // the callee echoes RTP back: the caller hears its own tone only if both bridge directions work
    const callee = runSipp({ scenario: 'calls/device-answer-then-hang-up-after-3s.xml', ip: '127.0.0.158', port: 5060, calls: 1, timeoutSec: 20, extra: ['-mp', '24000', '-rtp_echo'] });
    const call = await callAttendant(23002);
    try {
      await until('the menu prompt', () => call.peer.received.length >= 10);
      await call.peer.sendDigits('2');
      await until('the transfer answered and bridged', () => p.media!.gauges().channels === 2);
      await sleep(200);
      const from = performance.now();
      await call.peer.sendTone(1000, 800);
      await sleep(200);
      const heard = call.peer.audio(0, from);
      expect(heard.packets.length).toBeGreaterThan(30);
      expect(toneStrength(heard.samples.subarray(1600), 1000)).toBeGreaterThan(0.3);
      expectSipp(await callee.done, 1, 'device 102 answered then hung up');
      expectSipp(await call.sipp, 1, 'caller got the BYE');
    } finally {
      call.peer.close();
      callee.kill();
    }
    await until('the call record', () => records.some((x) => x.endedAt !== undefined));
    expect(records[0]!.attempts.map((a) => a.outcome)).toContain(200);
    expect(records[0]!.ivr).toEqual(['attendant: 2 → extension 102']);
    await clearBindings(p, ['102']);
    await expectEngineIdle(p);
    expect(await mediaSettled(p.media!)).toMatchObject({ channels: 0, rtpPorts: 0 });
  });

  it('no input: the timeout prompt plays, then the fallback (goodbye, hang up); the caller hears every prompt in full', async () => {
    records.length = 0;
    const call = await callAttendant(23004);
    try {
      expectSipp(await call.sipp, 1, 'caller hung up by the IVR');
    } finally {
      call.peer.close();
    }
    await until('the call record', () => records.some((x) => x.endedAt !== undefined));
    expect(records[0]!.ivr).toEqual(['attendant: timeout', 'attendant: no valid input after 1 tries → hang up']);
    // welcome, main-menu, timeout and goodbye, at 50 packets/s (the test's own count of the WAVs' lengths)
    const expected = ['welcome', 'main-menu', 'timeout', 'goodbye'].reduce((n, name) => n + wavSeconds(name), 0) * 50;
    expect(call.peer.audio(0).packets.length).toBeGreaterThan(expected * 0.95);
  });

  it('an invalid digit (9: no option, not an extension) plays the invalid prompt, then the fallback', async () => {
    records.length = 0;
    const call = await callAttendant(23006);
    try {
      await until('the menu prompt', () => call.peer.received.length >= 10);
      await call.peer.sendDigits('9');
      expectSipp(await call.sipp, 1, 'caller hung up by the IVR');
    } finally {
      call.peer.close();
    }
    await until('the call record', () => records.some((x) => x.endedAt !== undefined));
    expect(records[0]!.ivr).toEqual(['attendant: invalid 9', 'attendant: no valid input after 1 tries → hang up']);
    await expectEngineIdle(p);
    expect(await mediaSettled(p.media!)).toMatchObject({ channels: 0, rtpPorts: 0 });
  });
});

describe("IVR CoS (DOMAIN §5): the attendant's own restricted CoS reaches only the extensions it lists", () => {
  it('dialling *72 (a service), 411 (an outgoing line) or 103 (an extension it does not list) from the menu is refused with the invalid prompt; nothing is rung', async () => {
    let rtp = 23008;
    for (const dialled of ['*72', '411', '103']) {
      records.length = 0;
      const call = await callAttendant(rtp);
      rtp += 2;
      try {
        await until('the menu prompt', () => call.peer.received.length >= 10);
        await call.peer.sendDigits(dialled);
        expectSipp(await call.sipp, 1, `caller dialling ${dialled} hung up by the IVR`);
      } finally {
        call.peer.close();
      }
      await until('the call record', () => records.some((x) => x.endedAt !== undefined));
      expect(records[0]!.ivr).toEqual([`attendant: invalid ${dialled}`, 'attendant: no valid input after 1 tries → hang up']);
      expect(records[0]!.attempts).toEqual([]);
    }
    await expectEngineIdle(p);
    expect(await mediaSettled(p.media!)).toMatchObject({ channels: 0, rtpPorts: 0 });
  });

  it('dialling 101, which the menu lists, rings 101 and bridges the caller to it', async () => {
    records.length = 0;
    await putDeviceBinding(p, '101', '127.0.0.159');
    const callee = runSipp({ scenario: 'calls/device-answer-then-hang-up-after-3s.xml', ip: '127.0.0.159', port: 5060, calls: 1, timeoutSec: 20, extra: ['-mp', '24010', '-rtp_echo'] });
    const call = await callAttendant(23014);
    try {
      await until('the menu prompt', () => call.peer.received.length >= 10);
      await call.peer.sendDigits('101');
      expectSipp(await callee.done, 1, 'device 101 answered then hung up');
      expectSipp(await call.sipp, 1, 'caller got the BYE');
    } finally {
      call.peer.close();
      callee.kill();
    }
    await until('the call record', () => records.some((x) => x.endedAt !== undefined));
    expect(records[0]!.ivr).toEqual(['attendant: 101 → extension 101']);
    expect(records[0]!.attempts.map((a) => a.target)).toContain('ivr attendant → 101');
    await clearBindings(p, ['101']);
    await expectEngineIdle(p);
    expect(await mediaSettled(p.media!)).toMatchObject({ channels: 0, rtpPorts: 0 });
  });
});

describe('IVR and voicemail (DOMAIN §7): an extension that does not answer a transfer takes a message', () => {
  it("dialling 101 with no device registered: 101's mailbox answers on the caller's own endpoint (greeting, beep), the message holds the caller's tone, then the caller is hung up", async () => {
    records.length = 0;
    const call = await callAttendant(23016);
    try {
      await until('the menu prompt', () => call.peer.received.length >= 10);
      await call.peer.sendDigits('101');
      await until('the beep, then the recording', () => p.media!.gauges().openRecordings === 1, 15_000);
      await call.peer.sendTone(1000, 1500);
      // 5 s of silence end a message
      await call.peer.sendTone(0, 5500);
      expectSipp(await call.sipp, 1, 'caller hung up by voicemail');
    } finally {
      call.peer.close();
    }
    await until('the call record', () => records.some((x) => x.endedAt !== undefined));
    expect(records[0]!.ivr).toEqual(['attendant: 101 → extension 101']);
    expect(records[0]!.attempts).toContainEqual({ target: 'voicemail 101', outcome: 200 });
    const messages = await leftMessages(p, '101');
    expect(messages).toHaveLength(1);
    const [message] = messages;
    expect(message).toMatchObject({ caller: expect.any(String), isNew: true });
    const wav = readWav(message!.file);
    // the tone, then the silence that ended the message
    expect(toneStrength(wav.samples[0]!.subarray(0, 8000), 1000)).toBeGreaterThan(0.3);
    expect(message!.durationMs).toBeGreaterThan(5000);
    expect(message!.durationMs).toBeLessThan(8500);
    await p.ctx.voicemail.remove('demo', '101', message!.id);
    await expectEngineIdle(p);
    expect(await mediaSettled(p.media!)).toMatchObject({ channels: 0, rtpPorts: 0, openRecordings: 0 });
  });
});

function wavSeconds(prompt: string): number {
  const w = readWav(`sounds/en/${prompt}.wav`);
  return w.samples[0]!.length / w.rate;
}
