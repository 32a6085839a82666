import { Worker } from 'node:worker_threads';
import type { MediaGauges } from '../../media/media-server.js';
import { siblingWorker, workerEntry } from '../worker-entry.js';
import type { EmbeddedMediaOptions, FromMediaThread, MediaThreadPriority, MediaThreadTiming } from './media-thread-messages.js';
import { ERRORS, errorMessage } from '../../lib/errors.js';

const workerUrl = siblingWorker(import.meta.url, 'media-worker');

/** The embedded media server, running in its own thread; the app reaches it over its event socket. */
export interface EmbeddedMedia {
  readonly esl: { address: string; port: number };
  readonly sip: { address: string; port: number };
  readonly password: string;
  /** the thread's scheduling priority (nice) after it asked for `priority`, and why a raise was refused */
  readonly priority: MediaThreadPriority;
  /** the latest gauges (at most a second old); zeros before the first report */
  gauges(): MediaGauges;
  /** the thread's pacer statistics (interval error, wake-up lateness, tick time) and GC pauses, reset after if asked */
  timing(reset?: boolean): Promise<MediaThreadTiming>;
  stop(): Promise<void>;
}

export class MediaStartError extends Error {
  readonly code = ERRORS.MEDIA_START_FAILED.code;
  constructor(reason: string) {
    super(errorMessage('MEDIA_START_FAILED', { reason }));
    this.name = 'MediaStartError';
  }
}

export async function startMediaThread(opts: EmbeddedMediaOptions): Promise<EmbeddedMedia> {
  const entry = workerEntry(workerUrl, 'media thread');
  const worker = new Worker(entry.code, { workerData: opts, eval: entry.evalCode });
  let latest: MediaGauges = { channels: 0, outboundSockets: 0, inboundConnections: 0, rtpPorts: 0, openRecordings: 0 };
  let stopped: (() => void) | undefined;
  let exited = false;
  const timingWaiters: Array<{ resolve: (s: MediaThreadTiming) => void; reject: (e: Error) => void }> = [];
  const ready = await new Promise<Extract<FromMediaThread, { kind: 'ready' }>>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new MediaStartError(`its thread exited (${code}) before it was ready`)));
    worker.on('message', (m: FromMediaThread) => {
      if (m.kind === 'ready') resolve(m);
      else if (m.kind === 'failed') reject(new MediaStartError(m.message));
      else if (m.kind === 'gauges') latest = m.gauges;
      else if (m.kind === 'timing') timingWaiters.shift()?.resolve(m.stats);
      else stopped?.();
    });
  }).catch(async (err: unknown) => {
    await worker.terminate();
    throw err;
  });
  worker.removeAllListeners('error');
  worker.removeAllListeners('exit');
  worker.on('exit', () => {
    exited = true;
    for (const w of timingWaiters.splice(0)) w.reject(new Error('the media thread has stopped'));
    stopped?.();
  });
  worker.on('error', (err) => {
    // calls keep going without media (prompts fail, recordings stop): say so, do not crash SIP
    process.stderr.write(`media server thread failed: ${err.stack ?? err.message}\n`);
  });
  return {
    esl: ready.esl,
    sip: ready.sip,
    password: opts.password,
    priority: ready.priority,
    gauges: () => latest,
    timing(reset = false): Promise<MediaThreadTiming> {
      return new Promise((resolve, reject) => {
        if (exited) return reject(new Error('the media thread has stopped'));
        timingWaiters.push({ resolve, reject });
        worker.postMessage({ kind: 'timing', reset });
      });
    },
    async stop(): Promise<void> {
      if (exited) return;
      await new Promise<void>((resolve) => {
        stopped = resolve;
        worker.postMessage({ kind: 'stop' });
      });
      await worker.terminate();
    },
  };
}
