import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import Srf from 'drachtio-srf';
import type { Config } from '../config/index.js';
import { createAppContext, type AppContext } from '../app/context.js';
import { startApplication } from '../app/app.js';
import { callServices, stopCallServices } from '../app/calls/services.js';
import { closeVoicemailStore } from '../app/voicemail/mailboxes.js';
import { startHttp } from './http.js';
import { resolveLogFormat } from './logger.js';
import { startEmbeddedEngine, type EmbeddedEngine } from './engine/embedded-engine.js';
import { startMedia, type RunningMedia } from './media/start-media.js';

export interface RunningProduct {
  /** absent in external mode (a drachtio-server of its own) */
  engine?: EmbeddedEngine;
  media: RunningMedia;
  ctx: AppContext;
  /** `http://host:port` of /health and /metrics when http.enabled */
  httpUrl?: string;
  /** settles when the application is first connected to the engine */
  connected: Promise<void>;
  stop(): Promise<void>;
}

/**
 * The product as `npm start` runs it: the embedded engine (unless drachtio.mode is external),
 * the drachtio-srf application connected to it over the wire protocol, and /health + /metrics.
 */
export async function runProduct(config: Config, log: Logger, opts: { nonceSecret: string }): Promise<RunningProduct> {
  let engine: EmbeddedEngine | undefined;
  let wire = { host: config.drachtio.host, port: config.drachtio.port, secret: config.drachtio.secret };
  if (config.drachtio.mode === 'embedded') {
    engine = await startEmbeddedEngine(
      {
        sip: config.sip.listen.map((l) => ({ host: l.host, port: l.port, transports: l.transports })),
        wire: { host: '127.0.0.1', port: config.drachtio.port, secret: config.drachtio.secret },
        logLevel: config.log.level,
        logFormat: resolveLogFormat(config.log.format),
      },
      { ownThread: config.drachtio.ownThread, log: log.child({ component: 'engine' }) },
    );
    wire = { host: '127.0.0.1', port: engine.wirePort, secret: config.drachtio.secret };
  }

  const srf = new Srf();
  let connected = false;
  let firstConnect: () => void = () => undefined;
  const connectedOnce = new Promise<void>((resolve) => (firstConnect = resolve));
  srf.on('connect', (err: Error | undefined, hostport: string) => {
    if (err) return log.error({ err: err.message }, 'could not connect to the SIP engine');
    connected = true;
    firstConnect();
    log.info({ engine: `${wire.host}:${wire.port}`, sip: hostport, mode: config.drachtio.mode }, 'connected to the SIP engine');
  });
  srf.on('disconnect', () => {
    connected = false;
    log.warn('disconnected from the SIP engine; reconnecting');
  });
  srf.on('error', (err: Error) => log.error({ err: err.message }, 'SIP engine connection error'));
  srf.connect(wire);

  let media: RunningMedia;
  try {
    media = await startMedia(config, srf, log);
  } catch (err) {
    srf.disconnect();
    await engine?.stop();
    throw err;
  }
  const ctx = await createAppContext(srf, config, log, { nonceSecret: opts.nonceSecret, ...(media.port && { media: media.port }) });
  startApplication(ctx);
  let http: FastifyInstance | undefined;
  if (config.http.enabled) {
    const stats = engine && (() => engine.stats());
    http = await startHttp(config.http.host, config.http.port, {
      ...(stats && { engineStats: stats }),
      connected: () => connected,
      trunks: () => callServices(ctx).trunks.all(),
      limits: () => callServices(ctx).trunks.limits.snapshot(),
      registrations: () => callServices(ctx).registrations.all(),
      media: () => ({ mode: media.mode, ...(media.port && media.port.health()), ...(media.gauges && { gauges: media.gauges() }) }),
    });
  }
  let stopping: Promise<void> | undefined;
  const stopAll = async (): Promise<void> => {
    await stopCallServices(ctx);
    srf.disconnect();
    await http?.close();
    await media.stop();
    await engine?.stop();
    await ctx.store.close();
    await ctx.settings.close();
    await closeVoicemailStore(ctx);
  };
  const address = http?.server.address();
  const httpUrl = address && typeof address === 'object' ? `http://${address.address}:${address.port}` : undefined;
  return {
    ...(engine && { engine }),
    media,
    ...(httpUrl && { httpUrl }),
    ctx,
    connected: connectedOnce,
    stop: () => (stopping ??= stopAll()),
  };
}
