import type { App } from './types.js';
import { pause } from './play-file.js';

function splitAssign(arg: string): [string, string] {
  const eq = arg.indexOf('=');
  const i = eq >= 0 ? eq : arg.indexOf(',');
  return i < 0 ? [arg.trim(), ''] : [arg.slice(0, i).trim(), arg.slice(i + 1)];
}

/** set `name=value` (empty value unsets). The argument is already expanded. */
export const set: App = async ({ channel, arg }) => {
  const [k, v] = splitAssign(arg);
  if (k !== '') channel.vars.set(k, v);
  return undefined;
};

export const unset: App = async ({ channel, arg }) => {
  channel.vars.set(arg.trim(), undefined);
  return undefined;
};

/** export: like set, and remembered for legs this channel originates (none here). */
export const exportVar: App = async (run) => {
  const [k, v] = splitAssign(run.arg.replace(/^nolocal:/, ''));
  const names = run.channel.vars.get('export_vars');
  run.channel.vars.set('export_vars', names ? `${names},${k}` : k);
  if (!run.arg.startsWith('nolocal:')) run.channel.vars.set(k, v);
  return undefined;
};

/** multiset `^^<d>a=1<d>b=2`, or space-separated pairs. */
export const multiset: App = async ({ channel, arg }) => {
  let sep = ' ';
  let body = arg;
  if (arg.startsWith('^^') && arg.length > 2) {
    sep = arg[2]!;
    body = arg.slice(3);
  }
  for (const kv of body.split(sep)) {
    const [k, v] = splitAssign(kv);
    if (k !== '') channel.vars.set(k, v);
  }
  return undefined;
};

/** set_mute `read|write true|false`: muting read silences what the far end sends us. */
export const setMute: App = async ({ channel, arg }) => {
  const [dir, val] = arg.split(' ');
  if (dir === 'read') channel.muted = val === 'true' || (Number(val) || 0) > 0;
  return undefined;
};

export const sleep: App = async ({ channel, arg, signal }) => {
  await pause(channel, Math.max(0, Number(arg) || 0), signal);
  return undefined;
};

export const hangup: App = async ({ channel, arg }) => {
  channel.hangup(arg.trim() || 'NORMAL_CLEARING');
  return undefined;
};

export const answer: App = async () => undefined;

/** park: the channel idles (media keeps flowing); the next queued message runs at once here. */
export const park: App = async () => undefined;

export const sendDtmf: App = async ({ channel, arg }) => {
  await channel.sendDtmf(arg.trim());
  return undefined;
};

export const log: App = async ({ channel, arg }) => {
  channel.log.info({ app: 'log' }, arg);
  return undefined;
};
