// Child process for the media bench: the embedded media servers alone, so their CPU figure is their
// own. argv: <ip> <soundsDir> <recordingsDir> <threads>. With threads ≥ 1 it runs that many media
// servers the way the product does (startMediaThread: one worker thread each, its own pacer, event
// loop and heap); 0 runs one server on this process's main thread (the layout before threads).
// IPC: {cmd:'stats'|'reset'|'stop'}; the first message out is {ready, servers}.
import pino from 'pino';
import { startMediaServer, type MediaGauges } from '../../src/media/media-server.js';
import { LatenessHistogram, sharedPacer, type PacerSnapshot } from '../../src/media/rtp/pacer.js';
import { startMediaThread } from '../../src/ops/media/media-thread.js';

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
  gauges(): MediaGauges;
  pacerStats(reset: boolean): Promise<PacerSnapshot[]>;
  stop(): Promise<void>;
}

async function inProcess(): Promise<Running> {
  const media = await startMediaServer({ eslAddress: ip, eslPort: 8021, sipAddress: ip, sipPort: SIP_PORT, rtpRangeStart: RTP_START, rtpRangeEnd: RTP_END, soundsDir: sounds, recordingsDir: recordings, logger: pino({ level: 'silent' }) });
  const pacer = sharedPacer();
  return {
    servers: [{ address: ip, port: media.esl.port, secret: 'ClueCon' }],
    gauges: () => media.gauges(),
    pacerStats: async (reset) => {
      const s = pacer.snapshot();
      if (reset) pacer.resetStats();
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
      startMediaThread({ host: ip, sipPort: SIP_PORT + 2 * i, rtpRangeStart: RTP_START + i * span, rtpRangeEnd: RTP_START + (i + 1) * span - 2, soundsDir: sounds, recordingsDir: recordings, password: 'ClueCon', logLevel: 'silent', logFormat: 'json' }),
    ),
  );
  // gauges come from the threads once a second; ask the live ones when the bench waits for zeros
  return {
    servers: threads.map((t) => ({ address: t.esl.address, port: t.esl.port, secret: t.password })),
    gauges: () => sumGauges(threads.map((t) => t.gauges())),
    pacerStats: (reset) => Promise.all(threads.map((t) => t.pacerStats(reset))),
    stop: async () => void (await Promise.all(threads.map((t) => t.stop()))),
  };
}

function sumGauges(gs: MediaGauges[]): MediaGauges {
  const sum: MediaGauges = { channels: 0, outboundSockets: 0, inboundConnections: 0, rtpPorts: 0, openRecordings: 0 };
  for (const g of gs) for (const k of Object.keys(sum) as Array<keyof MediaGauges>) sum[k] += g[k];
  return sum;
}

/** The threads' histograms added together: the percentiles are over every channel and tick. */
function merged(snaps: PacerSnapshot[]): Record<string, number> {
  const h = { interval: new LatenessHistogram(), wake: new LatenessHistogram(), tick: new LatenessHistogram() };
  let sleptMs = 0;
  for (const s of snaps) {
    h.interval.merge(s.intervalError);
    h.wake.merge(s.wakeLateness);
    h.tick.merge(s.tickDuration);
    sleptMs += s.sleptMs;
  }
  return { p50: h.interval.percentile(0.5), p99: h.interval.percentile(0.99), max: h.interval.percentile(1), ticks: h.interval.count, wake99: h.wake.percentile(0.99), tick50: h.tick.percentile(0.5), tick99: h.tick.percentile(0.99), sleptMs: sleptMs / snaps.length };
}

async function main(): Promise<void> {
  if (process.env.MEDIA_NICE) (await import('node:os')).setPriority(Number(process.env.MEDIA_NICE));
  const threads = Number(threadsArg);
  const media = threads > 0 ? await inThreads(threads) : await inProcess();
  process.on('message', (m: { cmd: string }) => {
    if (m.cmd === 'reset') void media.pacerStats(true).then(() => process.send?.({ ok: true }));
    else if (m.cmd === 'stats') void media.pacerStats(false).then((snaps) => process.send?.({ cpu: process.cpuUsage(), gauges: media.gauges(), members: snaps.map((s) => s.members), ...merged(snaps) }));
    else if (m.cmd === 'stop') void media.stop().then(() => process.exit(0));
  });
  process.send?.({ ready: true, servers: media.servers });
}

void main();
