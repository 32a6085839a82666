// Child process for the media bench: the embedded media servers alone, so their CPU figure is their
// own. argv: <ip> <soundsDir> <recordingsDir> <threads>. With threads ≥ 1 it runs that many media
// servers the way the product does (startMediaThread: one worker thread each, its own pacer, event
// loop and heap); 0 runs one server on this process's main thread (the layout before threads).
// IPC: {cmd:'stats'|'reset'|'stop'}; the first message out is {ready, servers}.
import pino from 'pino';
import { startMediaServer, type MediaGauges } from '../../src/media/media-server.js';
import { LatenessHistogram, sharedPacer } from '../../src/media/rtp/pacer.js';
import { startMediaThread } from '../../src/ops/media/media-thread.js';
import { DEFAULT_MEDIA_PRIORITY, DEFAULT_MEDIA_REALTIME_PRIORITY } from '../../src/config/schema/platform.js';
import { LoopStats } from '../../src/ops/media/loop-stats.js';
import type { MediaThreadPriority, MediaThreadTiming } from '../../src/ops/media/media-thread-messages.js';

// MEDIA_BENCH_ALLOCATION=1: count the media threads' allocation (a GC profiler, which lengthens every pause)
const countAllocation = process.env.MEDIA_BENCH_ALLOCATION === '1';
// the media threads' nice value, as media.embedded.priority sets it (MEDIA_BENCH_PRIORITY=0: normal priority)
const priority = process.env.MEDIA_BENCH_PRIORITY === undefined ? DEFAULT_MEDIA_PRIORITY : Number(process.env.MEDIA_BENCH_PRIORITY);
// their SCHED_RR priority, as media.embedded.realtimePriority sets it (MEDIA_BENCH_REALTIME=0: the normal class)
const realtimePriority = process.env.MEDIA_BENCH_REALTIME === undefined ? DEFAULT_MEDIA_REALTIME_PRIORITY : Number(process.env.MEDIA_BENCH_REALTIME);

const [ip = '127.1.200.1', sounds = '/tmp', recordings = '/tmp', threadsArg = '1'] = process.argv.slice(2);
const RTP_START = 20000;
const RTP_END = 29998;
const SIP_PORT = 5080;

export interface BenchServer {
  address: string;
  port: number;
  secret: string;
}

interface Running {
  servers: BenchServer[];
  /** how the media threads are scheduled, as the bench prints it */
  scheduling: string;
  gauges(): MediaGauges;
  timing(reset: boolean): Promise<MediaThreadTiming[]>;
  stop(): Promise<void>;
}

async function inProcess(): Promise<Running> {
  const media = await startMediaServer({
    eslAddress: ip,
    eslPort: 8021,
    sipAddress: ip,
    sipPort: SIP_PORT,
    rtpRangeStart: RTP_START,
    rtpRangeEnd: RTP_END,
    soundsDir: sounds,
    recordingsDir: recordings,
    logger: pino({ level: 'silent' }),
  });
  const pacer = sharedPacer();
  const loop = new LoopStats({ countAllocation });
  return {
    servers: [{ address: ip, port: media.esl.port, secret: 'ClueCon' }],
    scheduling: 'the main thread, normal class',
    gauges: () => media.gauges(),
    timing: async (reset) => {
      const s = { pacer: pacer.snapshot(), loop: loop.snapshot() };
      if (reset) {
        pacer.resetStats();
        loop.reset();
      }
      return [s];
    },
    stop: () => media.stop(),
  };
}

async function inThreads(n: number): Promise<Running> {
  // each thread its own SIP port and an even share of the RTP range
  const span = Math.floor((RTP_END - RTP_START) / n / 2) * 2;
  const threads = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      startMediaThread({
        host: ip,
        sipPort: SIP_PORT + 2 * i,
        rtpRangeStart: RTP_START + i * span,
        rtpRangeEnd: RTP_START + (i + 1) * span - 2,
        soundsDir: sounds,
        recordingsDir: recordings,
        password: 'ClueCon',
        logLevel: 'silent',
        logFormat: 'json',
        countAllocation,
        priority,
        realtimePriority,
      }),
    ),
  );
  // gauges come from the threads once a second; ask the live ones when the bench waits for zeros
  return {
    servers: threads.map((t) => ({ address: t.esl.address, port: t.esl.port, secret: t.password })),
    scheduling: schedulingOf(threads[0]!.priority),
    gauges: () => sumGauges(threads.map((t) => t.gauges())),
    timing: (reset) => Promise.all(threads.map((t) => t.timing(reset))),
    stop: async () => void (await Promise.all(threads.map((t) => t.stop()))),
  };
}

function schedulingOf(p: MediaThreadPriority): string {
  const nice = `nice ${p.nice}${p.refused ? ` (raise refused: ${p.refused})` : ''}`;
  if (p.realtime.rr !== undefined) return `SCHED_RR ${p.realtime.rr}`;
  return p.realtime.refused ? `${nice}, real-time refused: ${p.realtime.refused}` : nice;
}

function sumGauges(gs: MediaGauges[]): MediaGauges {
  const sum: MediaGauges = { channels: 0, outboundSockets: 0, inboundConnections: 0, rtpPorts: 0, openRecordings: 0 };
  for (const g of gs) for (const k of Object.keys(sum) as Array<keyof MediaGauges>) sum[k] += g[k];
  return sum;
}

/** The threads' histograms added together (percentiles over every channel and tick), GC summed. */
function merged(ts: MediaThreadTiming[]): Record<string, number> {
  const h = { interval: new LatenessHistogram(), wake: new LatenessHistogram(), tick: new LatenessHistogram() };
  const r = { sleptMs: 0, gcPauses: 0, gcMs: 0, gcMaxMs: 0, gcOver2Ms: 0, allocatedBytes: 0, loopMax: 0 };
  for (const { pacer: s, loop } of ts) {
    h.interval.merge(s.intervalError);
    h.wake.merge(s.wakeLateness);
    h.tick.merge(s.tickDuration);
    r.sleptMs += s.sleptMs / ts.length;
    r.gcPauses += loop.gcPauses;
    r.gcMs += loop.gcMs;
    r.gcOver2Ms += loop.gcOver2Ms;
    r.allocatedBytes += loop.allocatedBytes;
    r.gcMaxMs = Math.max(r.gcMaxMs, loop.gcMaxMs);
    r.loopMax = Math.max(r.loopMax, loop.utilisation);
  }
  return {
    p50: h.interval.percentile(0.5),
    p99: h.interval.percentile(0.99),
    max: h.interval.percentile(1),
    ticks: h.interval.count,
    wake99: h.wake.percentile(0.99),
    tick50: h.tick.percentile(0.5),
    tick99: h.tick.percentile(0.99),
    ...r,
  };
}

async function main(): Promise<void> {
  if (process.env.MEDIA_NICE) (await import('node:os')).setPriority(Number(process.env.MEDIA_NICE));
  const threads = Number(threadsArg);
  const media = threads > 0 ? await inThreads(threads) : await inProcess();
  process.on('message', (m: { cmd: string }) => {
    if (m.cmd === 'reset') void media.timing(true).then(() => process.send?.({ ok: true }));
    else if (m.cmd === 'stats')
      void media.timing(false).then((ts) => process.send?.({ cpu: process.cpuUsage(), gauges: media.gauges(), members: ts.reduce((n, t) => n + t.pacer.members, 0), ...merged(ts) }));
    else if (m.cmd === 'stop') void media.stop().then(() => process.exit(0));
  });
  process.send?.({ ready: true, servers: media.servers, scheduling: media.scheduling });
}

void main();
