import { MediaError } from './errors.js';
import type { MediaServerOptions } from './media-server.js';

export const MEDIA_USAGE = `usage: npm run media -- [--esl-address 127.0.0.1] [--esl-port 8021] [--password ClueCon]
  [--sip HOST:PORT (127.0.0.1:5080)] [--profile drachtio_mrf] [--sounds DIR] [--recordings DIR]
  [--rtp-range-start 20000] [--rtp-range-end 30000] [--loglevel info] [--realtime-priority 0-99 (0: off)]`;

export interface MediaCliOptions extends MediaServerOptions {
  loglevel: string;
  /** SCHED_RR priority for the server's thread, like FreeSWITCH's -rp; absent or 0 stays in the normal class */
  realtimePriority?: number;
}

const LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

function bad(msg: string): MediaError {
  return new MediaError('MEDIA_BAD_FLAG', `${msg}\n${MEDIA_USAGE}`);
}

function port(text: string, flag: string, allowZero = true): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1) || n > 65535) throw bad(`${flag}: "${text}" is not a port number`);
  return n;
}

function ipv4(text: string, flag: string): string {
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(text) || text.split('.').some((p) => Number(p) > 255)) throw bad(`${flag}: "${text}" is not an IPv4 address`);
  return text;
}

/** Flags in the spirit of the drachtio FreeSWITCH image's entrypoint. MEDIA_BAD_FLAG on bad input. */
export function parseMediaArgs(argv: readonly string[]): MediaCliOptions {
  const o: MediaCliOptions = { loglevel: 'info' };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw bad(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--esl-port':
        o.eslPort = port(value(), flag);
        break;
      case '--esl-address':
        o.eslAddress = ipv4(value(), flag);
        break;
      case '--password':
        o.password = value();
        break;
      case '--sip': {
        const v = value();
        const m = /^([^:]+):(\d+)$/.exec(v);
        if (!m) throw bad(`--sip: "${v}" is not HOST:PORT`);
        o.sipAddress = ipv4(m[1]!, flag);
        o.sipPort = port(m[2]!, flag);
        break;
      }
      case '--profile':
        o.profile = value();
        break;
      case '--sounds':
        o.soundsDir = value();
        break;
      case '--recordings':
        o.recordingsDir = value();
        break;
      case '--rtp-range-start':
        o.rtpRangeStart = port(value(), flag, false);
        break;
      case '--rtp-range-end':
        o.rtpRangeEnd = port(value(), flag, false);
        break;
      case '--loglevel': {
        const v = value();
        if (!LEVELS.has(v)) throw bad(`--loglevel: "${v}" is not one of ${[...LEVELS].join(', ')}`);
        o.loglevel = v;
        break;
      }
      case '--realtime-priority': {
        const v = value();
        const n = Number(v);
        if (!/^\d+$/.test(v) || n > 99) throw bad(`--realtime-priority: "${v}" is not a priority from 0 to 99`);
        o.realtimePriority = n;
        break;
      }
      case '--help':
      case '-h':
        throw bad('');
      default:
        throw bad(`unknown option ${flag}`);
    }
  }
  if ((o.rtpRangeStart ?? 20000) > (o.rtpRangeEnd ?? 30000)) throw bad('--rtp-range-start is above --rtp-range-end');
  return o;
}
