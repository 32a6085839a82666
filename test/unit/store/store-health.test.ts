import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StoreHealth } from '../../../src/store/store-health.js';
import { capturingLogger } from './log-capture.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('store health state machine', () => {
  it('connecting → up on ready; an outage logs one error line with its cause, the recovery one info line', () => {
    const { log, lines } = capturingLogger();
    const h = new StoreHealth({ log });
    expect(h.state).toBe('connecting');
    expect(h.usable).toBe(true);
    h.connected();
    expect(h.state).toBe('up');
    expect(h.usable).toBe(true);

    vi.advanceTimersByTime(5_000);
    h.errored(new Error('read ECONNRESET'));
    h.lost();
    // ioredis keeps reporting while it reconnects: none of it is a new outage
    for (let i = 0; i < 20; i++) {
      h.errored(new Error('connect ECONNREFUSED 127.12.0.1:6379'));
      h.lost();
    }
    expect(h.state).toBe('down');
    expect(h.usable).toBe(false);
    expect(h.snapshot()).toMatchObject({ state: 'down', cause: 'read ECONNRESET', outages: 1 });

    vi.advanceTimersByTime(3_000);
    h.connected();
    h.connected();
    expect(h.state).toBe('up');
    expect(h.snapshot().cause).toBeUndefined();

    const logged = lines().filter((l) => l.store === 'redis');
    expect(logged.map((l) => [l.level, l.msg])).toEqual([
      [30, 'store connected'],
      [50, 'store down: registrations buffered, calls served from the local cache'],
      [30, 'store back up: buffered registrations being written'],
    ]);
    expect(logged[1]).toMatchObject({ cause: 'read ECONNRESET' });
    expect(logged[2]).toMatchObject({ downForMs: 3_000 });
    h.stop();
  });

  it('a store unreachable at start is down (one line), and up once reached', () => {
    const { log, lines } = capturingLogger();
    const h = new StoreHealth({ log });
    h.errored(new Error('connect ECONNREFUSED'));
    h.lost();
    h.lost();
    expect(h.state).toBe('down');
    h.connected();
    expect(h.state).toBe('up');
    expect(lines().map((l) => l.msg)).toEqual(['store unreachable at start: registrations buffered, calls served from the local cache', 'store back up: buffered registrations being written']);
    h.stop();
  });

  it('the probe takes an open connection whose store stopped answering for down, and back up when it answers', async () => {
    const { log, lines } = capturingLogger();
    let answering = true;
    const probe = vi.fn(() => (answering ? Promise.resolve('PONG') : Promise.reject(new Error('Command timed out'))));
    const h = new StoreHealth({ log, probe, probeEveryMs: 1_000 });
    h.connected();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(probe).toHaveBeenCalledTimes(2);
    expect(h.state).toBe('up');
    answering = false;
    await vi.advanceTimersByTimeAsync(3_000);
    expect(h.state).toBe('down');
    expect(h.snapshot().cause).toBe('not answering: Command timed out');
    answering = true;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(h.state).toBe('up');
    expect(lines().filter((l) => l.level === 50)).toHaveLength(1);
    h.stop();
  });

  it('no probe while the connection is closed; the state listeners hear every change', async () => {
    const { log } = capturingLogger();
    const probe = vi.fn(() => Promise.resolve('PONG'));
    const h = new StoreHealth({ log, probe, probeEveryMs: 500 });
    const seen: string[] = [];
    h.onChange((s) => seen.push(s));
    h.connected();
    h.lost('connection ended');
    await vi.advanceTimersByTimeAsync(5_000);
    expect(probe).not.toHaveBeenCalled();
    expect(h.state).toBe('down');
    h.connected();
    expect(seen).toEqual(['up', 'down', 'up']);
    h.stop();
  });

  it('closing on purpose is no outage; memory is always usable', () => {
    const { log, lines } = capturingLogger();
    const h = new StoreHealth({ log });
    h.connected();
    h.stop();
    h.lost();
    expect(h.state).toBe('up');
    expect(lines().filter((l) => l.level === 50)).toEqual([]);
    const m = new StoreHealth({ log, initial: 'memory' });
    m.lost();
    expect(m.state).toBe('memory');
    expect(m.usable).toBe(true);
  });
});
