import type { BreakSignal } from '../channel/break-signal.js';
import type { Channel } from '../channel/channel.js';
import { openPlayable, setPlaybackCounters } from './resolve-file.js';
import { playOpened } from './play-file.js';

export interface Collected {
  digits: string;
  terminator: string | undefined;
  timedOut: boolean;
}

export interface CollectSpec {
  max: number;
  terminators: string;
  firstTimeoutMs: number;
  digitTimeoutMs: number;
}

/**
 * Plays `prompt` (any digit interrupts it and counts), then collects until `max` digits, a
 * terminator (not stored), or a timeout (first, then per digit). Used by play_and_get_digits and read.
 */
export async function promptAndCollect(ch: Channel, prompt: string, spec: CollectSpec, signal: BreakSignal): Promise<Collected> {
  let digits = '';
  let terminator: string | undefined;
  const take = (d: string): boolean => {
    if (spec.terminators.includes(d)) terminator = d;
    else if (digits.length < spec.max) digits += d;
    return terminator !== undefined || digits.length >= spec.max;
  };
  if (prompt !== '' && prompt !== 'silence') {
    const o = await openPlayable(ch, prompt);
    if (o) {
      const r = await playOpened(ch, o, signal, (d) => {
        take(d);
        return true;
      });
      setPlaybackCounters(ch, o, r.samples);
    }
  }
  if (terminator !== undefined || digits.length >= spec.max || signal.aborted || !ch.up) return { digits, terminator, timedOut: false };
  return new Promise<Collected>((resolve) => {
    let timer: NodeJS.Timeout;
    const finish = (timedOut: boolean): void => {
      clearTimeout(timer);
      ch.digitHandler = undefined;
      signal.removeEventListener('abort', onAbort);
      forget();
      resolve({ digits, terminator, timedOut });
    };
    const onAbort = (): void => finish(false);
    const arm = (ms: number): void => {
      clearTimeout(timer);
      timer = setTimeout(() => finish(true), ms);
    };
    ch.digitHandler = (d) => {
      if (take(d)) finish(false);
      else arm(spec.digitTimeoutMs);
    };
    signal.addEventListener('abort', onAbort);
    const forget = ch.untilHangup(onAbort);
    arm(digits.length > 0 ? spec.digitTimeoutMs : spec.firstTimeoutMs);
  });
}
