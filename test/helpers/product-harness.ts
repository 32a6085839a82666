import pino from 'pino';
import Srf from 'drachtio-srf';
import { parseConfig, type Config } from '../../src/config/index.js';
import { SipEngine } from '../../src/engine/engine.js';
import { createAppContext, type AppContext } from '../../src/app/context.js';
import { startApplication } from '../../src/app/app.js';
import { stopCallServices } from '../../src/app/calls/services.js';
import { readFileSync } from 'node:fs';
import { gaugesSettled } from './engine-harness.js';
import type { Clock } from '../../src/app/auth/index.js';

export interface Product {
  engine: SipEngine;
  ctx: AppContext;
  config: Config;
  /** `host:port` of the engine's SIP listen point, for SIPp targets */
  target: string;
  stop(): Promise<void>;
}

export interface ProductOptions {
  /** YAML text of the configuration (default: config/default.yaml) */
  configText?: string;
  /** SIP listen address of the engine for this test file (127.0.0.x) */
  sipHost: string;
  sipPort?: number;
  /** redis URL; absent → memory store */
  redisUrl?: string;
  nonceSecret?: string;
  clock?: Clock;
  t1?: number;
  /** engine: how long the app has for its first response (default 64 s, as drachtio-server) */
  appAnswerTimeoutMs?: number;
}

/** The whole product in-process: embedded engine + the application, configured from YAML. */
export async function startProduct(o: ProductOptions): Promise<Product> {
  const text = o.configText ?? readFileSync('config/default.yaml', 'utf8');
  const parsed = parseConfig(text, 'test-config.yaml');
  const config: Config = {
    ...parsed,
    sip: { ...parsed.sip, listen: [{ host: o.sipHost, port: o.sipPort ?? 5060, transports: ['udp', 'tcp'] }] },
    ...(o.redisUrl ? { redis: { url: o.redisUrl } } : {}),
  };
  const log = pino({ level: process.env.TEST_LOG ?? 'silent' });
  const engine = new SipEngine({
    sip: config.sip.listen.map((l) => ({ host: l.host, port: l.port, transports: l.transports })),
    wire: { host: '127.0.0.1', port: 0, secret: 'product-test' },
    logger: log,
    timers: { t1: o.t1 ?? 50 },
    ...(o.appAnswerTimeoutMs !== undefined && { appAnswerTimeoutMs: o.appAnswerTimeoutMs }),
  });
  await engine.start();
  const srf = new Srf();
  await new Promise<void>((resolve, reject) => {
    srf.connect({ host: '127.0.0.1', port: engine.wirePort, secret: 'product-test' });
    srf.once('connect', (err: Error | undefined) => (err ? reject(err) : resolve()));
  });
  const ctx = await createAppContext(srf, config, log, { nonceSecret: o.nonceSecret ?? 'test-nonce-secret', ...(o.clock && { clock: o.clock }) });
  startApplication(ctx);
  return {
    engine,
    ctx,
    config,
    target: `${o.sipHost}:${engine.listenPoints[0]!.port}`,
    async stop() {
      await stopCallServices(ctx);
      srf.disconnect();
      await ctx.store.close();
      await ctx.settings.close();
      await new Promise((r) => setTimeout(r, 50));
      await engine.stop();
    },
  };
}

export { gaugesSettled };
