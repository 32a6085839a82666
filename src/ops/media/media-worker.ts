import { parentPort, workerData } from 'node:worker_threads';
import { startMediaServer } from '../../media/media-server.js';
import { sharedPacer } from '../../media/rtp/pacer.js';
import { createLogger } from '../logger.js';
import { LoopStats } from './loop-stats.js';
import { applyThreadPriority } from './thread-priority.js';
import { applyRealtimeScheduling } from '../../lib/realtime-scheduling.js';
import type { EmbeddedMediaOptions, FromMediaThread, ToMediaThread } from './media-thread-messages.js';

/**
 * Entry point of the embedded media server's own thread: RTP pacing (one shared 20 ms pacer with
 * sub-millisecond waits) stays off the thread that runs SIP signalling and the application.
 */
const port = parentPort;
if (!port) throw new Error('media-worker.ts runs only as a worker thread');
const opts = workerData as EmbeddedMediaOptions;
const post = (m: FromMediaThread): void => port.postMessage(m);

try {
  // this thread only (the pacer and every channel of this server run on it), before the first tick
  const priority = { ...applyThreadPriority(opts.priority), realtime: await applyRealtimeScheduling(opts.realtimePriority) };
  const media = await startMediaServer({
    eslAddress: opts.host,
    eslPort: 0,
    password: opts.password,
    sipAddress: opts.host,
    sipPort: opts.sipPort,
    rtpRangeStart: opts.rtpRangeStart,
    rtpRangeEnd: opts.rtpRangeEnd,
    soundsDir: opts.soundsDir,
    recordingsDir: opts.recordingsDir,
    logger: createLogger(opts.logLevel, opts.logFormat).child({ component: 'media' }),
  });
  const loop = new LoopStats({ countAllocation: opts.countAllocation === true });
  post({ kind: 'ready', esl: media.esl, sip: media.sip, priority });
  const timer = setInterval(() => post({ kind: 'gauges', gauges: media.gauges() }), 1000);
  port.on('message', (m: ToMediaThread) => {
    if (m.kind === 'timing') {
      // the thread's own pacer: each worker thread loads its own copy of the module
      const pacer = sharedPacer();
      post({ kind: 'timing', stats: { pacer: pacer.snapshot(), loop: loop.snapshot() } });
      if (m.reset) {
        pacer.resetStats();
        loop.reset();
      }
      return;
    }
    clearInterval(timer);
    loop.stop();
    void media.stop().finally(() => {
      post({ kind: 'gauges', gauges: media.gauges() });
      post({ kind: 'stopped' });
      port.close();
    });
  });
} catch (err) {
  post({ kind: 'failed', message: err instanceof Error ? err.message : String(err) });
  port.close();
}
