import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import Srf from 'drachtio-srf';
import type { Config } from '../config/index.js';
import { createAppContext, type AppContext } from '../app/context.js';
import { startApplication } from '../app/app.js';
import { stopCallServices, type CallServices } from '../app/calls/services.js';
import { closeVoicemail } from '../app/voicemail/mailboxes.js';
import { startHttp } from './http.js';
import { callsByTenant, registeredByTenant, storeStatus } from './store-status.js';
import { adminWithToken } from './admin/require-token.js';
import { portOf, startAdmin } from './admin/server.js';
import { startCdr } from './cdr/cdr-writer.js';
import { resolveLogFormat } from './logger.js';
import { startEmbeddedEngine, type EmbeddedEngine } from './engine/embedded-engine.js';
import { startMedia, type RunningMedia } from './media/start-media.js';
import { Admission } from '../app/admission.js';
import { Drainer } from './drain/drain.js';
import { DrainState } from './drain/drain-state.js';
import { reloadConfig, type ReloadOutcome } from './reload/reload-config.js';
import { loadConfig } from '../config/index.js';

export interface RunningProduct {
  /** absent in external mode (a drachtio-server of its own) */
  engine?: EmbeddedEngine;
  media: RunningMedia;
  ctx: AppContext;
  /** the application's call services (live calls, trunks, registrations), built at its start */
  services: CallServices;
  /** `http://host:port` of /health and /metrics when http.enabled */
  httpUrl?: string;
  /** `http://host:port` of the admin API when admin.enabled */
  adminUrl?: string;
  /** settles when the application is first connected to the engine */
  connected: Promise<void>;
  stop(): Promise<void>;
  /** SIGTERM: no new calls, wait for live calls up to drain.seconds, hang up the rest, stop */
  drain(): Promise<void>;
  /** a second signal during a drain: stop at once */
  stopNow(): Promise<void>;
  /** SIGHUP: the configuration file read again; a bad one changes nothing */
  reload(): ReloadOutcome;
}

export interface ProductOptions {
  nonceSecret: string;
  /** how a reload reads the configuration (default: loadConfig of config.file) */
  load?: () => Config;
}

/**
 * The product as `npm start` runs it: the embedded engine (unless drachtio.mode is external),
 * the drachtio-srf application connected to it over the wire protocol, and /health + /metrics.
 */
export async function runProduct(config: Config, log: Logger, opts: ProductOptions): Promise<RunningProduct> {
  // before anything starts: no admin API without a token
  const admin = config.admin.enabled ? adminWithToken(config) : undefined;
  let engine: EmbeddedEngine | undefined;
  let wire = { host: config.drachtio.host, port: config.drachtio.port, secret: config.drachtio.secret };
  if (config.drachtio.mode === 'embedded') {
    engine = await startEmbeddedEngine(
      {
        sip: config.sip.listen.map((l) => ({ host: l.host, port: l.port, transports: l.transports, ...(l.tls && { tls: l.tls }) })),
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
    disconnectQuietly(srf);
    await engine?.stop();
    throw err;
  }
  const ctx = await createAppContext(srf, config, log, { nonceSecret: opts.nonceSecret, ...(media.port && { media: media.port }) });
  const admission = new Admission();
  const services = startApplication(ctx, admission);
  let drainer: Drainer | undefined;
  const load = opts.load ?? (() => loadConfig(config.file));
  const reload = (): ReloadOutcome => reloadConfig(ctx.configs, load, log.child({ component: 'config' }));
  let http: FastifyInstance | undefined;
  if (config.http.enabled) {
    const stats = engine && (() => engine.stats());
    http = await startHttp(config.http.host, config.http.port, {
      ...(stats && { engineStats: stats }),
      connected: () => connected,
      trunks: () => services.trunks.all(),
      limits: () => services.trunks.limits.snapshot(),
      registrations: () => services.registrations.all(),
      draining: () => drainer !== undefined && drainer.state !== DrainState.Serving,
      media: () => ({ mode: media.mode, ...(media.port && media.port.health()), ...(media.gauges && { gauges: media.gauges() }) }),
      store: () => storeStatus(ctx),
      registered: () => registeredByTenant(ctx),
      calls: () => callsByTenant(ctx, services),
    });
  }
  const cdr = startCdr(ctx, services, log.child({ component: 'cdr' }));
  let adminApp: FastifyInstance | undefined;
  let stopping: Promise<void> | undefined;
  const stopAll = async (): Promise<void> => {
    await stopCallServices(services);
    ctx.registrar.stop();
    disconnectQuietly(srf);
    await http?.close();
    await adminApp?.close();
    await cdr.close();
    await media.stop();
    await engine?.stop();
    await ctx.store.close();
    await ctx.settings.close();
    await ctx.hotDesk.close();
    await closeVoicemail(ctx);
    await ctx.closeStoreConnection();
  };
  if (admin) {
    try {
      adminApp = await startAdmin({ config: admin, ctx, services, log: log.child({ component: 'admin' }), cdr, reload });
    } catch (err) {
      // e.g. the admin port is taken: leave nothing listening (srf can only disconnect once connected)
      await Promise.race([connectedOnce, new Promise((r) => setTimeout(r, 5000).unref())]);
      await stopAll();
      throw err;
    }
  }
  const address = http?.server.address();
  const httpUrl = address && typeof address === 'object' ? `http://${address.address}:${address.port}` : undefined;
  const adminUrl = adminApp && admin && `http://${admin.host}:${portOf(adminApp)}`;
  const stop = (): Promise<void> => (stopping ??= stopAll());
  drainer = new Drainer({ admission, calls: services.calls, config: config.drain, log: log.child({ component: 'drain' }), stop });
  const draining = drainer;
  return {
    ...(engine && { engine }),
    media,
    ...(httpUrl && { httpUrl }),
    ...(adminUrl && { adminUrl }),
    ctx,
    services,
    connected: connectedOnce,
    stop,
    drain: () => draining.drain(),
    stopNow: () => draining.stopNow(),
    reload,
  };
}

function disconnectQuietly(srf: Srf): void {
  try {
    srf.disconnect();
  } catch {
    // drachtio-srf asserts when it has no socket yet (stopped before the first connect)
  }
}
