import type { Logger } from 'pino';
import type { EngineStats } from '../../engine/core/gauges.js';
import type { LocalPoint } from '../../engine/core/local-point.js';
import { SipEngine } from '../../engine/engine.js';
import { describeListenError, EngineStartError } from '../../engine/listen-error.js';
import type { TimerConfig } from '../../engine/transaction/timers.js';
import type { ListenPoint } from '../../engine/transport/types.js';
import { startEngineThread } from './engine-thread.js';
import type { LogFormat } from '../logger.js';

/** What the product needs of the embedded engine, wherever it runs (this thread or its own). */
export interface EmbeddedEngine {
  readonly wirePort: number;
  readonly listenPoints: readonly LocalPoint[];
  stats(): Promise<EngineStats>;
  stop(): Promise<void>;
}

/** Plain data only: it crosses into a worker thread. */
export interface EmbeddedEngineOptions {
  sip: ListenPoint[];
  wire: { host: string; port: number; secret: string };
  logLevel: string;
  logFormat: LogFormat;
  timers?: Partial<TimerConfig>;
}

/**
 * Starts the embedded engine. In its own thread (the default) SIP transport, transactions and the
 * wire protocol run on a second core beside the application; `inline` keeps everything on one.
 */
export async function startEmbeddedEngine(opts: EmbeddedEngineOptions, where: { ownThread: boolean; log: Logger }): Promise<EmbeddedEngine> {
  if (where.ownThread) return startEngineThread(opts);
  const engine = new SipEngine({ sip: opts.sip, wire: opts.wire, logger: where.log, ...(opts.timers && { timers: opts.timers }) });
  try {
    await engine.start();
  } catch (err) {
    await engine.stop().catch(() => undefined);
    const reason = describeListenError(err);
    throw reason === undefined ? err : new EngineStartError(reason);
  }
  return {
    wirePort: engine.wirePort,
    listenPoints: engine.listenPoints,
    stats: async () => engine.stats(),
    stop: () => engine.stop(),
  };
}
