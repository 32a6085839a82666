import type { App } from './types.js';
import type { Channel } from '../channel/channel.js';
import type { MediaTap } from '../channel/media-taps.js';
import { WavWriter } from '../audio/wav-writer.js';
import { recordingPath } from './record.js';

/** A background recording of both directions (a FreeSWITCH media bug). */
class SessionRecording implements MediaTap {
  private readonly read = new Int16Array(160);
  private readonly mixed = new Int16Array(160);
  private frames = 0;
  private stopped = false;

  constructor(
    private readonly ch: Channel,
    readonly path: string,
    private readonly w: WavWriter,
    private readonly mode: 'mono' | 'stereo' | 'stereo-swap' | 'read' | 'write',
    private readonly maxFrames: number,
  ) {}

  onRead(f: Int16Array): void {
    this.read.set(f);
  }

  onWrite(out: Int16Array): void {
    const r = this.read;
    if (this.mode === 'stereo') this.w.writeStereo(r, out);
    else if (this.mode === 'stereo-swap') this.w.writeStereo(out, r);
    else if (this.mode === 'read') this.w.writeMono(r);
    else if (this.mode === 'write') this.w.writeMono(out);
    else {
      for (let i = 0; i < 160; i++) this.mixed[i] = Math.max(-32768, Math.min(32767, r[i]! + out[i]!));
      this.w.writeMono(this.mixed);
    }
    if (++this.frames >= this.maxFrames) void this.stop();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.ch.removeTap(this);
    recordings(this.ch).delete(this.path);
    await this.w.close();
    this.ch.ctx.counters.openRecordings--;
    this.ch.vars.set('record_samples', String(this.w.samples));
    this.ch.vars.set('record_seconds', String(Math.floor(this.w.samples / 8000)));
    this.ch.vars.set('record_ms', String(Math.floor(this.w.samples / 8)));
    this.ch.fire('RECORD_STOP', [['Record-File-Path', this.path]]);
  }
}

const byChannel = new WeakMap<Channel, Map<string, SessionRecording>>();

function recordings(ch: Channel): Map<string, SessionRecording> {
  let m = byChannel.get(ch);
  if (!m) {
    m = new Map();
    byChannel.set(ch, m);
  }
  return m;
}

function parseVars(s: string | undefined, ch: Channel): void {
  if (!s) return;
  for (const kv of s.replace(/^\{|\}$/g, '').split(',')) {
    const i = kv.indexOf('=');
    if (i > 0) ch.vars.set(kv.slice(0, i), kv.slice(i + 1));
  }
}

/** Starts recording `<path> [+<limit>] [{vars}]`; false when the file cannot be opened. */
export async function startSessionRecording(ch: Channel, arg: string): Promise<boolean> {
  const parts = arg.split(' ');
  const file = parts[0] ?? '';
  const limitPart = parts.find((p, i) => i > 0 && /^\+?\d+$/.test(p));
  parseVars(
    parts.find((p, i) => i > 0 && p.startsWith('{')),
    ch,
  );
  const limit = limitPart ? Number(limitPart.replace('+', '')) : 0;
  const v = (n: string): boolean => ch.vars.get(n) === 'true';
  const mode = v('RECORD_STEREO') ? (v('RECORD_STEREO_SWAP') ? 'stereo-swap' : 'stereo') : v('RECORD_READ_ONLY') ? 'read' : v('RECORD_WRITE_ONLY') ? 'write' : 'mono';
  const path = recordingPath(ch, file);
  let w: WavWriter;
  try {
    w = await WavWriter.open(path, mode.startsWith('stereo') ? 2 : 1, v('RECORD_APPEND'));
  } catch {
    return false;
  }
  if (!ch.up) {
    await w.close();
    return false;
  }
  ch.ctx.counters.openRecordings++;
  const rec = new SessionRecording(ch, file, w, mode, limit > 0 ? limit * 50 : Infinity);
  recordings(ch).get(file)?.stop();
  recordings(ch).set(file, rec);
  ch.addTap(rec);
  ch.onHangup.push(() => void rec.stop());
  ch.fire('RECORD_START', [['Record-File-Path', file]]);
  return true;
}

/** Stops one recording (or `all`); false when none matched. */
export async function stopSessionRecording(ch: Channel, file: string): Promise<boolean> {
  const m = recordings(ch);
  const targets = file === 'all' || file === '' ? [...m.values()] : [m.get(file)].filter((r): r is SessionRecording => r !== undefined);
  await Promise.all(targets.map((r) => r.stop()));
  return targets.length > 0;
}

export const recordSession: App = async ({ channel, arg }) => ((await startSessionRecording(channel, arg)) ? undefined : '-ERR Cannot record session!');
export const stopRecordSession: App = async ({ channel, arg }) => {
  await stopSessionRecording(channel, arg.trim());
  return undefined;
};
