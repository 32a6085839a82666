import pino, { type Logger } from 'pino';
import Srf from 'drachtio-srf';
import { SipEngine } from '../../src/engine/engine.js';
import type { EngineStats } from '../../src/engine/core/gauges.js';
import type { SessionTimerOptions } from '../../src/engine/options.js';
import type { ListenPoint, TransportName } from '../../src/engine/transport/types.js';

export const SECRET = 'test-secret';

export interface Harness {
  engine: SipEngine;
  sipPort: number;
  connectApp(): Promise<Srf>;
  stop(): Promise<void>;
}

/** An embedded engine on a loopback address with fast timers (T1 = 50 ms keeps linger states short). */
export interface EngineTestOptions {
  host?: string;
  port?: number;
  transports?: TransportName[];
  /** every listen point, instead of host/port/transports (a TLS one with its files) */
  listen?: ListenPoint[];
  tcpIdleTimeoutMs?: number;
  t1?: number;
  maxMessageSize?: number;
  partialMessageTimeoutMs?: number;
  appAnswerTimeoutMs?: number;
  sessionTimers?: SessionTimerOptions;
  /** where the wire protocol listens and apps connect (default 127.0.0.1) */
  wireHost?: string;
  logger?: Logger;
}

export async function startEngine(opts: EngineTestOptions = {}): Promise<Harness> {
  const logger = opts.logger ?? pino({ level: process.env.TEST_LOG ?? 'silent' });
  const engine = new SipEngine({
    sip: opts.listen ?? [{ host: opts.host ?? '127.0.0.10', port: opts.port ?? 5060, transports: opts.transports ?? ['udp', 'tcp'] }],
    wire: { host: opts.wireHost ?? '127.0.0.1', port: 0, secret: SECRET },
    logger,
    timers: { t1: opts.t1 ?? 50 },
    ...(opts.maxMessageSize ? { maxMessageSize: opts.maxMessageSize } : {}),
    ...(opts.partialMessageTimeoutMs ? { partialMessageTimeoutMs: opts.partialMessageTimeoutMs } : {}),
    ...(opts.tcpIdleTimeoutMs ? { tcpIdleTimeoutMs: opts.tcpIdleTimeoutMs } : {}),
    ...(opts.appAnswerTimeoutMs ? { appAnswerTimeoutMs: opts.appAnswerTimeoutMs } : {}),
    ...(opts.sessionTimers ? { sessionTimers: opts.sessionTimers } : {}),
  });
  await engine.start();
  const apps: Srf[] = [];
  return {
    engine,
    sipPort: engine.listenPoints[0]!.port,
    async connectApp() {
      const srf = new Srf();
      apps.push(srf);
      await new Promise<void>((resolve, reject) => {
        srf.connect({ host: opts.wireHost ?? '127.0.0.1', port: engine.wirePort, secret: SECRET });
        srf.once('connect', (err: Error | undefined) => (err ? reject(err) : resolve()));
      });
      return srf;
    },
    async stop() {
      for (const a of apps) {
        try {
          a.disconnect();
        } catch {
          // already disconnected by the test
        }
      }
      await new Promise((r) => setTimeout(r, 50));
      await engine.stop();
    },
  };
}

/** Polls until every live-resource gauge except app connections is back to zero. */
export async function gaugesSettled(engine: SipEngine, timeoutMs = 15_000): Promise<EngineStats> {
  const deadline = Date.now() + timeoutMs;
  let s = engine.stats();
  while (Date.now() < deadline) {
    s = engine.stats();
    if (s.transactions === 0 && s.dialogs === 0 && s.proxyContexts === 0 && s.pendingAppRequests === 0) return s;
    await new Promise((r) => setTimeout(r, 100));
  }
  return s;
}
