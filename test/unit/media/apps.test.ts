import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fakeChannel, flush, type FakeChannel } from './fake-channel.js';
import { readWav, writeToneWav } from '../../helpers/audio-check.js';

const dir = mkdtempSync(join(tmpdir(), 'media-apps-'));
writeToneWav(join(dir, 'one.wav'), 440, 500);
writeToneWav(join(dir, 'wide.wav'), 440, 500, 16000);

const realSetTimeout = globalThis.setTimeout;
const realWait = (ms: number): Promise<void> => new Promise((r) => realSetTimeout(r, ms));

/** Apps that open a file do real I/O: media time only starts once they have fired this event. */
const STARTS_WITH: Record<string, string> = { record: 'RECORD_START' };

/** Runs the app to completion, ticking media and fake time; returns the EXECUTE_COMPLETE. */
async function run(f: FakeChannel, app: string, arg: string, during?: (tick: number) => void, maxTicks = 2000): Promise<Record<string, string>> {
  const uuid = `e-${Math.random()}`;
  const before = f.events.length;
  f.ch.runner.enqueue({ app, arg, eventUuid: uuid });
  const startEvent = STARTS_WITH[app];
  for (let i = 0; i < 2000 && startEvent && !f.events.slice(before).some((e) => e.name === startEvent || e.name === 'CHANNEL_EXECUTE_COMPLETE'); i++) {
    await flush();
    await realWait(2);
  }
  for (let t = 0; t < maxTicks; t++) {
    await flush();
    const done = f.events.find((e) => e.name === 'CHANNEL_EXECUTE_COMPLETE' && e.get('Application-UUID') === uuid);
    if (done) return Object.fromEntries(done.headers);
    during?.(t);
    f.ch.tick();
    await vi.advanceTimersByTimeAsync(20);
  }
  throw new Error(`${app} did not complete`);
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('playback (spec §8.3)', () => {
  it('plays a WAV relative to sound_prefix with FreeSWITCH counters, @@offset, and 16 kHz files', async () => {
    const f = fakeChannel();
    f.ch.vars.set('sound_prefix', dir);
    let r = await run(f, 'playback', 'one');
    expect(r['Application-Response']).toBe('FILE PLAYED');
    expect(r['variable_playback_samples']).toBe('4000');
    expect(r['variable_playback_ms']).toBe('500');
    r = await run(f, 'playback', 'one.wav@@2000');
    expect(r['variable_playback_last_offset_pos']).toBe(String(2000 + 2080));
    r = await run(f, 'playback', 'wide.wav');
    expect(r['variable_playback_samples']).toBe('8000');
    expect(r['variable_playback_seconds']).toBe('0');
    expect(r['variable_playback_ms']).toBe('500');
  });

  it('a list with playback_delimiter plays every file, FILE NOT FOUND for a missing one', async () => {
    const f = fakeChannel();
    f.ch.vars.set('sound_prefix', dir);
    f.ch.vars.set('playback_delimiter', '!');
    await run(f, 'playback', 'one.wav!silence_stream://100!tone_stream://%(100,0,800)');
    expect(f.events.filter((e) => e.name === 'PLAYBACK_START').map((e) => e.get('Playback-File-Path'))).toEqual([join(dir, 'one.wav'), 'silence_stream://100', 'tone_stream://%(100,0,800)']);
    expect((await run(f, 'playback', 'nope.wav'))['Application-Response']).toBe('FILE NOT FOUND');
  });

  it('a DTMF in playback_terminators stops it and sets playback_terminator_used; none ignores digits', async () => {
    const f = fakeChannel();
    f.ch.vars.set('playback_terminators', '#');
    let r = await run(f, 'playback', 'silence_stream://5000', (t) => t === 10 && f.ch.deliverDigit('#'));
    expect(r['variable_playback_terminator_used']).toBe('#');
    expect(Number(r['variable_playback_ms'])).toBeLessThan(400);
    f.ch.vars.set('playback_terminators', 'none');
    r = await run(f, 'playback', 'silence_stream://300', (t) => t === 2 && f.ch.deliverDigit('#'));
    expect(r['variable_playback_ms']).toBe('300');
  });
});

describe('play_and_get_digits (spec §8.4)', () => {
  it('collects min..max digits, stops at a terminator, sets the variable', async () => {
    const f = fakeChannel();
    const r = await run(f, 'play_and_get_digits', '2 5 1 3000 # silence_stream://200 silence_stream://100 myvar \\d+ 2000', (t) => {
      if (t === 5) f.ch.deliverDigit('4');
      if (t === 20) f.ch.deliverDigit('2');
      if (t === 30) f.ch.deliverDigit('#');
    });
    expect(r['variable_myvar']).toBe('42');
    expect(r['variable_read_terminator_used']).toBe('#');
    expect(r['variable_read_result']).toBe('success');
  });

  it('a regex mismatch sets <var>_invalid; timeouts over every try end in failure', async () => {
    const f = fakeChannel();
    let r = await run(f, 'play_and_get_digits', '1 3 1 1000 # silence silence_stream://50 v ^9\\d*$', (t) => {
      if (t === 2) f.ch.deliverDigit('1');
      if (t === 3) f.ch.deliverDigit('2');
      if (t === 4) f.ch.deliverDigit('3');
    });
    expect(r['variable_v']).toBeUndefined();
    expect(r['variable_v_invalid']).toBe('123');
    r = await run(f, 'play_and_get_digits', '1 3 2 1000 # silence silence_stream://50 w');
    expect(r['variable_w']).toBeUndefined();
    expect(r['variable_read_result']).toBe('timeout');
    expect(f.events.filter((e) => e.name === 'PLAYBACK_START' && e.get('Playback-File-Path') === 'silence_stream://50').length).toBeGreaterThanOrEqual(3);
  });
});

describe('read', () => {
  it('read <min> <max> <file> <var> <timeout> <terminators> stores the digits', async () => {
    const f = fakeChannel();
    const r = await run(f, 'read', '1 4 silence_stream://100 pin 2000 #', (t) => {
      if (t === 8) f.ch.deliverDigit('7');
      if (t === 10) f.ch.deliverDigit('#');
    });
    expect(r['variable_pin']).toBe('7');
    expect(r['variable_read_result']).toBe('success');
    const t = await run(f, 'read', '2 4 silence pin2 500 #');
    expect(t['variable_pin2']).toBeUndefined();
    expect(t['variable_read_result']).toBe('timeout');
  });
});

describe('record (spec §8.5)', () => {
  it('stops after silence_hits seconds below the threshold, writing a valid WAV', async () => {
    const f = fakeChannel(dir);
    const r = await run(f, 'record', 'quiet.wav 10 200 1');
    expect(r['variable_silence_hits_exhausted']).toBe('true');
    expect(r['variable_record_ms']).toBe('1000');
    const w = readWav(join(dir, 'quiet.wav'));
    expect(w.samples[0]!.length).toBe(8000);
    expect(w.dataBytesInHeader).toBe(16000);
  });

  it('stops at the time limit and at a terminator', async () => {
    const f = fakeChannel(dir);
    expect((await run(f, 'record', 'lim.wav +1'))['variable_record_samples']).toBe('8000');
    f.ch.vars.set('playback_terminators', '*');
    const r = await run(f, 'record', 'term.wav 20', (t) => t === 10 && f.ch.deliverDigit('*'));
    expect(r['variable_playback_terminator_used']).toBe('*');
    expect(f.ch.ctx.counters.openRecordings).toBe(0);
  });
});

describe('set, multiset, export, send_dtmf', () => {
  it('multiset uses the character after ^^ as separator; an empty value unsets', async () => {
    const f = fakeChannel();
    await run(f, 'multiset', '^^:a=1:b=x y:c=');
    expect([f.ch.vars.get('a'), f.ch.vars.get('b'), f.ch.vars.get('c')]).toEqual(['1', 'x y', undefined]);
    await run(f, 'export', 'k=v');
    expect(f.ch.vars.get('k')).toBe('v');
    expect(f.ch.vars.get('export_vars')).toBe('k');
  });

  it('send_dtmf emits RFC 4733: marker on the first packet, one timestamp per digit, growing duration, three end packets', async () => {
    const f = fakeChannel();
    f.sent.length = 0;
    await run(f, 'send_dtmf', '5@100');
    const te = f.sent.filter((b) => (b[1]! & 0x7f) === 101);
    expect(te.length).toBe(5 + 2);
    expect(te.map((b) => b[12])).toEqual(Array(7).fill(5));
    expect(new Set(te.map((b) => b.readUInt32BE(4))).size).toBe(1);
    expect(te.map((b) => (b[1]! & 0x80) !== 0)).toEqual([true, false, false, false, false, false, false]);
    expect(te.map((b) => (b[13]! & 0x80) !== 0)).toEqual([false, false, false, false, true, true, true]);
    expect(te.map((b) => b.readUInt16BE(14))).toEqual([160, 320, 480, 640, 800, 800, 800]);
  });
});
