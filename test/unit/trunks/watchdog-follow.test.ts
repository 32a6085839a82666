import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import pino from 'pino';
import type Srf from 'drachtio-srf';
import { TrunkWatchdog } from '../../../src/app/trunks/watchdog.js';
import type { TrunkRegistry } from '../../../src/app/trunks/trunk-registry.js';
import { tenantWith, trunk } from './trunk-fixtures.js';

const pinged = (name: string, host: string, seconds?: number) => trunk(name, host, seconds === undefined ? {} : { optionsPingIntervalSeconds: seconds });
const tenant = tenantWith;

describe('trunk watchdog following the configuration', () => {
  let sent: string[];
  let watchdog: TrunkWatchdog;

  beforeEach(() => {
    vi.useFakeTimers();
    sent = [];
    // an SBC that answers every OPTIONS at once
    const srf = {
      request(uri: string, _opts: unknown, cb: (err: unknown, req: { on(e: string, l: (r: { status: number }) => void): void }) => void) {
        sent.push(uri);
        cb(null, { on: (_e, l) => l({ status: 200 }) });
      },
    } as unknown as Srf;
    watchdog = new TrunkWatchdog(srf, { report: () => undefined } as unknown as TrunkRegistry, pino({ level: 'silent' }));
  });

  afterEach(() => {
    watchdog.stop();
    vi.useRealTimers();
  });

  it('pings the trunks it started with, each at its interval (none before the first interval)', () => {
    watchdog.start([tenant('demo', pinged('a', '127.0.0.1', 2), pinged('quiet', '127.0.0.2'))]);
    expect(watchdog.pinged()).toEqual(['demo/a']);
    vi.advanceTimersByTime(1999);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual(['sip:127.0.0.1:5060;transport=udp']);
  });

  it('a trunk added later is pinged from then on; a removed one no longer', () => {
    watchdog.start([tenant('demo', pinged('a', '127.0.0.1', 1))]);
    watchdog.follow([tenant('demo', pinged('b', '127.0.0.3', 1))]);
    expect(watchdog.pinged()).toEqual(['demo/b']);
    vi.advanceTimersByTime(3000);
    expect(new Set(sent)).toEqual(new Set(['sip:127.0.0.3:5060;transport=udp']));
    expect(sent).toHaveLength(3);
  });

  it('an unchanged trunk keeps its rhythm; a changed address or interval restarts it with the new values', () => {
    watchdog.start([tenant('demo', pinged('a', '127.0.0.1', 2), pinged('b', '127.0.0.3', 2))]);
    vi.advanceTimersByTime(1500);
    watchdog.follow([tenant('demo', pinged('a', '127.0.0.1', 2), pinged('b', '127.0.0.4', 2))]);
    vi.advanceTimersByTime(500);
    // a: its interval ran on (started at 0); b: restarted at 1500 for its new address
    expect(sent).toEqual(['sip:127.0.0.1:5060;transport=udp']);
    vi.advanceTimersByTime(1500);
    expect(sent).toEqual(['sip:127.0.0.1:5060;transport=udp', 'sip:127.0.0.4:5060;transport=udp']);
  });

  it('after stop, following a configuration starts nothing', () => {
    watchdog.start([]);
    watchdog.stop();
    watchdog.follow([tenant('demo', pinged('a', '127.0.0.1', 1))]);
    vi.advanceTimersByTime(5000);
    expect(watchdog.pinged()).toEqual([]);
    expect(sent).toEqual([]);
  });
});
