// Child process for the media bench: the embedded media server alone, so its CPU figure is its own.
// argv: <ip> <soundsDir> <recordingsDir>. IPC: {cmd:'stats'|'reset'|'stop'}.
import pino from 'pino';
import { startMediaServer } from '../../src/media/media-server.js';
import { sharedPacer } from '../../src/media/rtp/pacer.js';

const [ip = '127.1.200.1', sounds = '/tmp', recordings = '/tmp'] = process.argv.slice(2);

async function main(): Promise<void> {
  if (process.env.MEDIA_NICE) (await import('node:os')).setPriority(Number(process.env.MEDIA_NICE));
  const media = await startMediaServer({ eslAddress: ip, eslPort: 8021, sipAddress: ip, sipPort: 5080, rtpRangeStart: 20000, rtpRangeEnd: 29998, soundsDir: sounds, recordingsDir: recordings, logger: pino({ level: 'silent' }) });
  const pacer = sharedPacer();
  process.on('message', (m: { cmd: string }) => {
    if (m.cmd === 'reset') {
      pacer.intervalError.reset();
      pacer.wakeLateness.reset();
      pacer.tickDuration.reset();
      pacer.sleptMs = 0;
      process.send?.({ ok: true });
    } else if (m.cmd === 'stats') {
      const h = pacer.intervalError;
      process.send?.({ cpu: process.cpuUsage(), gauges: media.gauges(), p50: h.percentile(0.5), p99: h.percentile(0.99), max: h.percentile(1), ticks: h.count, wake99: pacer.wakeLateness.percentile(0.99), tick99: pacer.tickDuration.percentile(0.99), tick50: pacer.tickDuration.percentile(0.5), sleptMs: pacer.sleptMs });
    } else if (m.cmd === 'stop') void media.stop().then(() => process.exit(0));
  });
  process.send?.({ ready: true });
}

void main();
