import type { App } from './types.js';
import { openPlayable, setPlaybackCounters } from './resolve-file.js';
import { isTerminator, pause, playOpened } from './play-file.js';

/** playback `<file>[@@offset]` — lists with playback_delimiter, terminators, timeout (spec §8.3). */
export const playback: App = async ({ channel: ch, arg, signal }) => {
  const delim = ch.vars.get('playback_delimiter');
  const files = delim ? arg.split(delim).filter((f) => f !== '') : [arg];
  const terms = ch.vars.get('playback_terminators') ?? '*';
  const timeoutSec = ch.vars.int('playback_timeout_sec', 0);
  ch.vars.set('playback_terminator_used', undefined);
  const started = Date.now();
  for (let i = 0; i < files.length; i++) {
    if (i > 0) await pause(ch, ch.vars.int('playback_sleep_val', 250), signal);
    if (signal.aborted || !ch.up) break;
    const o = await openPlayable(ch, files[i]!);
    if (!o) return 'FILE NOT FOUND';
    const left = timeoutSec > 1 ? timeoutSec * 1000 - (Date.now() - started) : undefined;
    const r = await playOpened(ch, o, signal, (d) => isTerminator(terms, d), left);
    setPlaybackCounters(ch, o, r.samples);
    if (r.digit !== undefined) {
      ch.vars.set('playback_terminator_used', r.digit);
      break;
    }
    if (r.reason !== 'done') break;
  }
  return 'FILE PLAYED';
};
