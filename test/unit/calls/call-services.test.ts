import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import pino from 'pino';
import Srf from 'drachtio-srf';
import { parseConfig } from '../../../src/config/index.js';
import { createAppContext, type AppContext } from '../../../src/app/context.js';
import { CallServices, stopCallServices } from '../../../src/app/calls/services.js';

const config = parseConfig(readFileSync('config/default.yaml', 'utf8'), 'default.yaml');

/** Trunks of the shipped configuration that the watchdog pings. */
const pinged = [...config.tenants.values()].flatMap((t) => [...t.trunks.values()]).filter((t) => (t.optionsPingIntervalSeconds ?? 0) > 0).length;

describe('call services, built once and started explicitly', () => {
  let ctx: AppContext;
  beforeEach(async () => {
    vi.useFakeTimers();
    ctx = await createAppContext(new Srf(), config, pino({ level: 'silent' }), { nonceSecret: 'unit' });
  });
  afterEach(async () => {
    ctx.registrar.stop();
    await ctx.closeStoreConnection();
    vi.useRealTimers();
  });

  it('building them starts nothing: no watchdog ping, no summary timer', () => {
    const before = vi.getTimerCount();
    const services = new CallServices(ctx);
    expect(vi.getTimerCount()).toBe(before);
    expect(services.calls.list()).toEqual([]);
  });

  it('start() arms the trunk watchdog (one ping timer per pinged trunk) and the traffic summary; stop() clears them', async () => {
    expect(pinged).toBeGreaterThan(0);
    const services = new CallServices(ctx);
    const before = vi.getTimerCount();
    services.start(ctx.config.tenants.values());
    expect(vi.getTimerCount()).toBe(before + pinged + 1);
    await stopCallServices(services);
    expect(vi.getTimerCount()).toBe(before);
  });

  it('stopping twice is stopping once: both wait for the same stop', async () => {
    const services = new CallServices(ctx);
    services.start(ctx.config.tenants.values());
    const first = stopCallServices(services);
    const second = stopCallServices(services);
    expect(second).toBe(first);
    await Promise.all([first, second]);
  });
});
