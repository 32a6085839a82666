import type { App } from './types.js';
import { promptAndCollect } from './collect.js';
import { openPlayable } from './resolve-file.js';
import { playOpened } from './play-file.js';

function num(s: string | undefined, d: number): number {
  const n = Number.parseInt(s ?? '', 10);
  return Number.isFinite(n) ? n : d;
}

/**
 * play_and_get_digits `<min> <max> <tries> <timeout> <terminators> <file> <invalid_file> [<var>
 * [<regex> [<digit_timeout> [<transfer_on_failure>]]]]` (spec §8.4).
 */
export const playAndGetDigits: App = async ({ channel: ch, arg, signal }) => {
  const a = arg.split(' ');
  const min = Math.max(0, num(a[0], 0));
  const max = Math.max(min, num(a[1], 128));
  const tries = Math.max(1, num(a[2], 1));
  const timeout = Math.max(1000, num(a[3], 1000));
  const terminators = a[4] && a[4] !== '' ? a[4] : '#';
  const file = a[5] ?? '';
  const invalid = a[6] ?? '';
  const varName = a[7] ?? 'pagd_input';
  const regexSrc = a[8];
  const digitTimeout = num(a[9], timeout);
  let regex: RegExp | undefined;
  try {
    regex = regexSrc ? new RegExp(regexSrc) : undefined;
  } catch {
    regex = undefined;
  }
  if (regexSrc) ch.vars.set(`${varName}_invalid`, undefined);
  ch.vars.set(varName, undefined);
  let result = 'failure';
  for (let t = 0; t < tries && ch.up && !signal.aborted; t++) {
    const c = await promptAndCollect(ch, file, { max: Math.min(max, 128), terminators, firstTimeoutMs: timeout, digitTimeoutMs: digitTimeout }, signal);
    ch.vars.set('read_terminator_used', c.terminator);
    if (c.digits.length > 0 && c.digits.length >= min) {
      if (!regex || regex.test(c.digits)) {
        ch.vars.set(varName, c.digits);
        result = 'success';
        break;
      }
      ch.vars.set(`${varName}_invalid`, c.digits);
    }
    result = c.timedOut ? 'timeout' : 'failure';
    if (invalid !== '' && t < tries && ch.up && !signal.aborted) {
      const o = await openPlayable(ch, invalid);
      if (o) await playOpened(ch, o, signal);
    }
  }
  ch.vars.set('read_result', result);
  return undefined;
};

/** read `<min> <max> <file> <var> <timeout> <terminators> [<digit_timeout>]`. */
export const read: App = async ({ channel: ch, arg, signal }) => {
  const a = arg.split(' ');
  const min = Math.max(0, num(a[0], 0));
  const max = Math.max(min, num(a[1], 128));
  const varName = a[3] ?? 'read_result_digits';
  const timeout = Math.max(1, num(a[4], 5000));
  const c = await promptAndCollect(ch, a[2] ?? '', { max, terminators: a[5] ?? '#', firstTimeoutMs: timeout, digitTimeoutMs: num(a[6], timeout) }, signal);
  ch.vars.set('read_terminator_used', c.terminator);
  const ok = c.digits.length >= min;
  ch.vars.set(varName, ok ? c.digits : undefined);
  ch.vars.set('read_result', ok ? 'success' : c.timedOut ? 'timeout' : 'failure');
  return undefined;
};
