import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import type Mrf from 'drachtio-fsmrf';
import { parseConfig, type Config } from '../../src/config/index.js';
import { runProduct, type RunningProduct } from '../../src/ops/run-product.js';
import { registrarConfig } from './registrar-fixtures.js';

// Loopback address of this file: product and its media threads on 127.10.0.1.
const HOST = '127.10.0.1';

interface ThreadScheduling {
  nice: number;
  /** 0 normal (SCHED_OTHER), 2 SCHED_RR */
  policy: number;
  rt: number;
}

/** nice value and scheduling class of every thread of this process, main thread apart, read from /proc (not from the product) */
function threadScheduling(): { main: ThreadScheduling; all: ThreadScheduling[] } {
  const of = (stat: string): ThreadScheduling => {
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { nice: Number(f[16]), policy: Number(f[38]), rt: Number(f[37]) };
  };
  const all = readdirSync('/proc/self/task').map((tid) => of(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8')));
  return { main: of(readFileSync('/proc/self/stat', 'utf8')), all };
}

const until = async (f: () => boolean, ms = 5000): Promise<void> => {
  for (const t0 = Date.now(); !f() && Date.now() - t0 < ms;) await new Promise((r) => setTimeout(r, 50));
};

describe('media.embedded.threads: several embedded media servers, one worker thread each', () => {
  let product: RunningProduct;
  // what the main thread had before the product started: a harness may start the suite at another nice value
  let before: ThreadScheduling;

  beforeAll(async () => {
    before = threadScheduling().main;
    const parsed = parseConfig(registrarConfig(), 'media-threads-test.yaml');
    const config: Config = {
      ...parsed,
      sip: { listen: [{ host: HOST, port: 5060, transports: ['udp'] }] },
      drachtio: { ...parsed.drachtio, port: 0 },
      media: { ...parsed.media, mode: 'embedded', embedded: { ...parsed.media.embedded, host: HOST, sipPort: 5080, rtpRangeStart: 21000, rtpRangeEnd: 21099, threads: 2 } },
    };
    product = await runProduct(config, pino({ level: 'silent' }), { nonceSecret: 'media-threads-test' });
    await product.connected;
    await until(() => (product.ctx.media?.health().servers ?? []).filter((s) => s.connected).length === 2);
  });

  afterAll(async () => {
    await product?.stop();
  });

  it('the media port connects to both; calls alternate between them', async () => {
    expect(product.ctx.media?.health().servers.map((s) => s.connected)).toEqual([true, true]);
    const picks = [product.ctx.media!.pick(), product.ctx.media!.pick(), product.ctx.media!.pick()];
    expect(picks[0]).toBeDefined();
    expect(picks[1]).not.toBe(picks[0]);
    expect(picks[2]).toBe(picks[0]);
  });

  it('each thread answers on its own SIP port and gets a share of the RTP range; gauges add up', async () => {
    const a = product.ctx.media!.pick()!;
    const b = product.ctx.media!.pick()!;
    const eps: Mrf.Endpoint[] = await Promise.all([a.createEndpoint(), b.createEndpoint()]);
    try {
      const rtpPorts = eps.map((ep) => Number(/^m=audio (\d+)/m.exec(ep.local.sdp)?.[1]));
      // thread 0 owns 21000–21049, thread 1 21050–21099
      expect(rtpPorts.filter((p) => p >= 21000 && p < 21050)).toHaveLength(1);
      expect(rtpPorts.filter((p) => p >= 21050 && p <= 21099)).toHaveLength(1);
      const sipPorts = eps.map((ep) => /sip:[^@]+@[^:;>]+:(\d+)/.exec(ep.dialog.remote.uri)?.[1]).sort();
      expect(sipPorts).toEqual(['5080', '5082']);
      await until(() => product.media.gauges?.().channels === 2);
      expect(product.media.gauges?.()).toMatchObject({ channels: 2, rtpPorts: 2 });
    } finally {
      await Promise.all(eps.map((ep) => ep.destroy()));
    }
    await until(() => product.media.gauges?.().channels === 0);
    expect(product.media.gauges?.()).toMatchObject({ channels: 0, rtpPorts: 0 });
  });

  it('the media threads ask for media.embedded.priority (default -10) and realtimePriority (default SCHED_RR 10): they move, SIP and the app on the main thread do not', () => {
    const threads = product.media.embedded ?? [];
    expect(threads).toHaveLength(2);
    const { main, all } = threadScheduling();
    expect(main).toEqual(before);
    expect(main).toMatchObject({ policy: 0, rt: 0 });
    if (process.getuid?.() === 0) {
      // root may raise priority and enter the real-time class: both threads did, and nothing else
      for (const t of threads) expect(t.priority).toEqual({ nice: -10, realtime: { rr: 10 } });
      expect(all.filter((t) => t.nice === -10).length).toBeGreaterThanOrEqual(2);
      // other test files of this worker may run media threads too: each real-time thread is one asked for
      const rr = all.filter((t) => t.policy !== 0);
      expect(rr.length).toBeGreaterThanOrEqual(2);
      for (const t of rr) expect(t).toEqual({ nice: -10, policy: 2, rt: 10 });
    } else {
      // no CAP_SYS_NICE: refused, the threads stay at normal priority in the normal class
      for (const t of threads) {
        expect(t.priority).toMatchObject({ nice: before.nice, refused: 'EACCES' });
        expect(t.priority.realtime.refused).toMatch(/not permitted/i);
      }
      expect(all.every((t) => t.nice >= before.nice && t.policy === 0)).toBe(true);
    }
  });
});
