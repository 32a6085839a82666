import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fakeChannel, flush } from './fake-channel.js';
import { startSessionRecording, stopSessionRecording } from '../../../src/media/apps/record-session.js';
import { readWav } from '../../helpers/audio-check.js';

const dir = mkdtempSync(join(tmpdir(), 'media-rs-'));

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) {
    await flush();
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('record_session (spec §8.6)', () => {
  it('honours +limit and {vars} (stereo), keeps the header valid while streaming, and stops on hang-up', async () => {
    const f = fakeChannel(dir);
    expect(await startSessionRecording(f.ch, 'rs.wav +3 {RECORD_STEREO=true}')).toBe(true);
    expect(f.ch.ctx.counters.openRecordings).toBe(1);
    f.ticks(110);
    await settle();
    // after the first 2 s batch the header already describes the data on disk
    const mid = readWav(join(dir, 'rs.wav'));
    expect(mid.channels).toBe(2);
    expect(mid.dataBytesInHeader).toBe(100 * 160 * 4);
    f.ticks(50);
    await settle();
    expect(f.ch.ctx.counters.openRecordings).toBe(0);
    expect(readWav(join(dir, 'rs.wav')).samples[0]!.length).toBe(24000);
    expect(await startSessionRecording(f.ch, 'rs2.wav')).toBe(true);
    f.ticks(5);
    f.ch.hangup('NORMAL_CLEARING');
    await settle();
    expect(f.ch.ctx.counters.openRecordings).toBe(0);
    expect(readWav(join(dir, 'rs2.wav')).samples[0]!.length).toBe(800);
    expect(await stopSessionRecording(f.ch, 'rs2.wav')).toBe(false);
  });
});
