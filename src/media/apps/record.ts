import { isAbsolute, join } from 'node:path';
import type { App } from './types.js';
import type { Channel } from '../channel/channel.js';
import type { MediaTap } from '../channel/media-taps.js';
import { WavWriter } from '../audio/wav-writer.js';
import { isTerminator } from './play-file.js';

/** Relative recording paths go under --recordings (FS: sound_prefix-based; the images mount /tmp). */
export function recordingPath(ch: Channel, p: string): string {
  return isAbsolute(p) ? p : join(ch.ctx.recordingsDir, p);
}

/** Mean absolute sample value of a frame (FS's silence score at 8 kHz). */
export function frameEnergy(f: Int16Array): number {
  let s = 0;
  for (let i = 0; i < f.length; i++) s += Math.abs(f[i]!);
  return s / f.length;
}

/** record `<path> [<limit secs>] [<silence thresh>] [<silence hits secs>]` (spec §8.5). */
export const record: App = async ({ channel: ch, arg, signal }) => {
  const [file = '', limitArg, threshArg, hitsArg] = arg.split(' ');
  const limit = Number.parseInt((limitArg ?? '0').replace(/^\+/, ''), 10) || 0;
  const thresh = Number(threshArg ?? '0') || 0;
  const hitsSec = Number(hitsArg ?? '3') || 3;
  let w: WavWriter;
  try {
    w = await WavWriter.open(recordingPath(ch, file), 1, ch.vars.get('RECORD_APPEND') === 'true');
  } catch {
    ch.hangup('DESTINATION_OUT_OF_ORDER');
    return undefined;
  }
  ch.ctx.counters.openRecordings++;
  ch.vars.set('playback_terminator_used', undefined);
  ch.vars.set('silence_hits_exhausted', undefined);
  ch.fire('RECORD_START', [['Record-File-Path', file]]);
  const terms = ch.vars.get('playback_terminators') ?? '*';
  const maxFrames = limit > 0 ? limit * 50 : Infinity;
  const silentLimit = Math.ceil(hitsSec * 50);
  await new Promise<void>((resolve) => {
    let frames = 0;
    let silent = 0;
    const stop = (): void => {
      ch.removeTap(tap);
      ch.digitHandler = undefined;
      signal.removeEventListener('abort', stop);
      forget();
      resolve();
    };
    const tap: MediaTap = {
      onRead(f) {
        w.writeMono(f);
        frames++;
        if (thresh > 0) {
          silent = frameEnergy(f) < thresh ? silent + 1 : 0;
          if (silent >= silentLimit) {
            ch.vars.set('silence_hits_exhausted', 'true');
            return stop();
          }
        }
        if (frames >= maxFrames) stop();
      },
    };
    ch.addTap(tap);
    ch.digitHandler = (d) => {
      if (isTerminator(terms, d)) {
        ch.vars.set('playback_terminator_used', d);
        stop();
      }
    };
    signal.addEventListener('abort', stop);
    const forget = ch.untilHangup(stop);
    if (signal.aborted || !ch.up) stop();
  });
  await w.close();
  ch.ctx.counters.openRecordings--;
  ch.vars.set('record_samples', String(w.samples));
  ch.vars.set('record_seconds', String(Math.floor(w.samples / 8000)));
  ch.vars.set('record_ms', String(Math.floor(w.samples / 8)));
  ch.fire('RECORD_STOP', [['Record-File-Path', file]]);
  return undefined;
};
