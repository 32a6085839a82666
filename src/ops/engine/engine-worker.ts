import { parentPort, workerData } from 'node:worker_threads';
import { SipEngine } from '../../engine/engine.js';
import { describeListenError } from '../../engine/listen-error.js';
import { createLogger } from '../logger.js';
import type { EmbeddedEngineOptions } from './embedded-engine.js';
import type { FromEngineThread, ToEngineThread } from './thread-messages.js';

/** Entry point of the engine's own thread (see engine-thread.ts). */
const port = parentPort;
if (!port) throw new Error('engine-worker.ts runs only as a worker thread');
const opts = workerData as EmbeddedEngineOptions;
const post = (m: FromEngineThread): void => port.postMessage(m);

const engine = new SipEngine({
  sip: opts.sip,
  wire: opts.wire,
  logger: createLogger(opts.logLevel, opts.logFormat).child({ component: 'engine' }),
  ...(opts.timers && { timers: opts.timers }),
});
try {
  await engine.start();
  post({ kind: 'ready', wirePort: engine.wirePort, listenPoints: [...engine.listenPoints] });
} catch (err) {
  post({ kind: 'failed', message: describeListenError(err) ?? (err instanceof Error ? err.message : String(err)) });
  await engine.stop().catch(() => undefined);
}

port.on('message', (m: ToEngineThread) => {
  if (m.kind === 'stats') post({ kind: 'stats', id: m.id, stats: engine.stats() });
  else if (m.kind === 'stop') {
    void engine.stop().finally(() => {
      post({ kind: 'stopped', id: m.id });
      port.close();
    });
  }
});
