import { isAbsolute, join, extname } from 'node:path';
import type { Channel } from '../channel/channel.js';
import type { FrameSource } from '../channel/media-taps.js';
import { loadAudio } from '../audio/file-cache.js';
import { PcmSource, SilenceSource, ToneSource } from '../audio/sources.js';

/** A playable source plus what FreeSWITCH's counters need to know about the file. */
export interface Opened {
  source: FrameSource;
  /** the file's native rate and sample count after the seek (Infinity for endless streams) */
  nativeRate: number;
  nativeAvailable: number;
  seek: number;
  type: string;
  path: string;
}

/** Relative names get `sound_prefix` (channel, then global, then --sounds); no extension → .wav. */
export function soundPath(ch: Channel, name: string): string {
  const prefix = ch.vars.get('sound_prefix') ?? ch.ctx.soundsDir;
  const p = isAbsolute(name) ? name : join(prefix, name);
  return extname(p) === '' ? `${p}.wav` : p;
}

/** Opens `file[@@samples]`; undefined when it cannot be opened (FILE NOT FOUND). */
export async function openPlayable(ch: Channel, spec: string): Promise<Opened | undefined> {
  let file = spec;
  let seek = 0;
  const at = spec.lastIndexOf('@@');
  if (at > 0 && /^\d+$/.test(spec.slice(at + 2))) {
    seek = Number(spec.slice(at + 2));
    file = spec.slice(0, at);
  }
  if (file.startsWith('silence_stream://')) {
    const ms = Number(file.slice(17).split(',')[0]);
    const n = Number.isFinite(ms) ? ms : 0;
    return { source: new SilenceSource(n), nativeRate: 8000, nativeAvailable: n <= 0 ? Infinity : n * 8, seek: 0, type: 'silence_stream', path: file };
  }
  if (file.startsWith('tone_stream://')) {
    const t = new ToneSource(file.slice(14));
    if (!t.valid) return undefined;
    return { source: t, nativeRate: 8000, nativeAvailable: Infinity, seek: 0, type: 'tone_stream', path: file };
  }
  if (file.includes('://') || file.startsWith('say:') || file.startsWith('phrase:')) return undefined;
  const path = soundPath(ch, file);
  try {
    const a = await loadAudio(path);
    const seek8k = Math.floor((seek * 8000) / a.nativeRate);
    return { source: new PcmSource(a.samples, seek8k), nativeRate: a.nativeRate, nativeAvailable: Math.max(0, a.nativeSamples - seek), seek, type: 'file', path };
  } catch {
    return undefined;
  }
}

/** FreeSWITCH's playback counters (spec §8.3): samples read from the file in blocks of 16384. */
export function setPlaybackCounters(ch: Channel, o: Opened, played8k: number): void {
  const playedNative = Math.round((played8k * o.nativeRate) / 8000);
  const read = Math.min(o.nativeAvailable, Math.ceil(playedNative / 16384) * 16384);
  const samples = o.type === 'file' ? read : Math.min(o.nativeAvailable, playedNative);
  ch.vars.set('playback_samples', String(samples));
  ch.vars.set('playback_seconds', String(Math.floor(samples / o.nativeRate)));
  ch.vars.set('playback_ms', String(Math.floor(samples / (o.nativeRate / 1000))));
  ch.vars.set('playback_last_offset_pos', String(o.seek + played8k));
}
