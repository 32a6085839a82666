import { Worker } from 'node:worker_threads';
import type { EngineStats } from '../../engine/core/gauges.js';
import type { EmbeddedEngine, EmbeddedEngineOptions } from './embedded-engine.js';
import type { FromEngineThread, ToEngineThread } from './thread-messages.js';
import { EngineStartError } from '../../engine/listen-error.js';
import { siblingWorker, workerEntry } from '../worker-entry.js';

const workerUrl = siblingWorker(import.meta.url, 'engine-worker');

/** The embedded engine in a worker thread; the app still reaches it over the wire protocol. */
export async function startEngineThread(opts: EmbeddedEngineOptions): Promise<EmbeddedEngine> {
  const entry = workerEntry(workerUrl, 'engine thread');
  const worker = new Worker(entry.code, { workerData: opts, eval: entry.evalCode });
  const replies = new Map<number, { settle: (m: FromEngineThread) => void; fail: (e: Error) => void }>();
  let nextId = 1;
  let exited = false;

  const ready = await new Promise<Extract<FromEngineThread, { kind: 'ready' }>>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the engine thread exited (${code}) before it was ready`)));
    worker.on('message', (m: FromEngineThread) => {
      if (m.kind === 'ready') resolve(m);
      else if (m.kind === 'failed') reject(new EngineStartError(m.message));
      else replies.get(m.id)?.settle(m);
    });
  }).catch(async (err: unknown) => {
    await worker.terminate();
    throw err;
  });
  worker.removeAllListeners('error');
  worker.removeAllListeners('exit');
  worker.on('exit', () => {
    exited = true;
    for (const r of replies.values()) r.fail(new Error('the engine thread has stopped'));
    replies.clear();
  });
  worker.on('error', (err) => {
    // an engine crash takes the product down: calls cannot go on without SIP
    process.stderr.write(`SIP engine thread failed: ${err.stack ?? err.message}\n`);
    process.exit(70);
  });

  const ask = <K extends FromEngineThread['kind']>(kind: ToEngineThread['kind'], want: K): Promise<Extract<FromEngineThread, { kind: K }>> =>
    new Promise((resolve, reject) => {
      if (exited) return reject(new Error('the engine thread has stopped'));
      const id = nextId++;
      replies.set(id, {
        settle: (m) => {
          replies.delete(id);
          if (m.kind === want) resolve(m as Extract<FromEngineThread, { kind: K }>);
          else reject(new Error(`the engine thread answered ${m.kind} to ${kind}`));
        },
        fail: reject,
      });
      worker.postMessage({ kind, id } satisfies ToEngineThread);
    });

  return {
    wirePort: ready.wirePort,
    listenPoints: ready.listenPoints,
    stats: async (): Promise<EngineStats> => (await ask('stats', 'stats')).stats,
    async stop(): Promise<void> {
      if (exited) return;
      await ask('stop', 'stopped');
      await worker.terminate();
    },
  };
}
