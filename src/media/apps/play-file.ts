import type { BreakSignal } from '../channel/break-signal.js';
import type { Channel, PlayResult } from '../channel/channel.js';
import type { Opened } from './resolve-file.js';

export interface PlayOutcome extends PlayResult {
  digit?: string;
}

/**
 * Plays one opened source until it ends, the app is broken, the channel hangs up, `timeoutMs`
 * passes, or `onDigit` returns true for a received digit. Fires PLAYBACK_START / PLAYBACK_STOP.
 */
export async function playOpened(ch: Channel, o: Opened, signal: BreakSignal, onDigit?: (d: string) => boolean, timeoutMs?: number, events = true): Promise<PlayOutcome> {
  const extra: Array<[string, string]> = [['Playback-File-Path', o.path], ...(o.type !== 'file' ? ([['Playback-File-Type', o.type]] as Array<[string, string]>) : [])];
  if (events) ch.fire('PLAYBACK_START', extra);
  const h = ch.play(o.source);
  let digit: string | undefined;
  const onAbort = (): void => h.stop();
  signal.addEventListener('abort', onAbort);
  if (signal.aborted) h.stop();
  const prev = ch.digitHandler;
  if (onDigit)
    ch.digitHandler = (d) => {
      if (onDigit(d)) {
        digit = d;
        h.stop();
      }
    };
  const timer = timeoutMs !== undefined && timeoutMs > 0 ? setTimeout(h.stop, timeoutMs) : undefined;
  const r = await h.result;
  if (timer) clearTimeout(timer);
  signal.removeEventListener('abort', onAbort);
  if (onDigit) ch.digitHandler = prev;
  if (events) ch.fire('PLAYBACK_STOP', [...extra, ['Playback-Status', r.reason === 'done' ? 'done' : 'break']]);
  return { ...r, ...(digit !== undefined ? { digit } : {}) };
}

/** Silence for `ms` (also how playback_sleep_val separates list entries). */
export function pause(ch: Channel, ms: number, signal: BreakSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || !ch.up) return resolve();
    const done = (): void => {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      forget();
      resolve();
    };
    const t = setTimeout(done, ms);
    signal.addEventListener('abort', done);
    const forget = ch.untilHangup(done);
  });
}

export function isTerminator(terminators: string | undefined, d: string): boolean {
  if (!terminators || terminators === 'none') return false;
  if (terminators === 'any') return true;
  return terminators.includes(d);
}
