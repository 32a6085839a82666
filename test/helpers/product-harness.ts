import pino, { type Logger } from 'pino';
import Srf from 'drachtio-srf';
import { parseConfig, type Config } from '../../src/config/index.js';
import type { ListenConfig } from '../../src/config/schema/platform.js';
import { SipEngine } from '../../src/engine/engine.js';
import { createAppContext, type AppContext } from '../../src/app/context.js';
import { startApplication } from '../../src/app/app.js';
import { stopCallServices, type CallServices } from '../../src/app/calls/services.js';
import { closeVoicemail } from '../../src/app/voicemail/mailboxes.js';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMediaServer, type MediaServer } from '../../src/media/media-server.js';
import { MediaPort } from '../../src/app/media/media-port.js';
import { gaugesSettled } from './engine-harness.js';
import type { Clock } from '../../src/app/auth/index.js';

export interface Product {
  engine: SipEngine;
  ctx: AppContext;
  /** what startApplication built: live calls, trunks, registrations, call listeners */
  services: CallServices;
  config: Config;
  /** `host:port` of the engine's SIP listen point, for SIPp targets */
  target: string;
  /** the (first) embedded media server, when ProductOptions.media asked for one */
  media?: MediaServer;
  /** every embedded media server ProductOptions.media asked for, in order */
  mediaServers: MediaServer[];
  mediaPort?: MediaPort;
  stop(): Promise<void>;
}

export interface ProductOptions {
  /** YAML text of the configuration (default: config/default.yaml) */
  configText?: string;
  /** SIP listen address of the engine for this test file (127.0.0.x) */
  sipHost: string;
  sipPort?: number;
  /** every SIP listen point instead of sipHost/sipPort over udp+tcp (e.g. with a TLS one) */
  listen?: ListenConfig[];
  /** redis URL; absent → memory store */
  redisUrl?: string;
  nonceSecret?: string;
  clock?: Clock;
  t1?: number;
  /** engine: how long the app has for its first response (default 64 s, as drachtio-server) */
  appAnswerTimeoutMs?: number;
  /** the product's logger (default: silent, or TEST_LOG's level) */
  log?: Logger;
  /** embedded media server(s) of its own (SIP :5080, event socket :8021 on each `host`), connected through the MediaPort */
  media?: MediaHost | readonly MediaHost[];
}

export interface MediaHost {
  host: string;
  rtpStart: number;
}

/** The whole product in-process: embedded engine + the application, configured from YAML. */
export async function startProduct(o: ProductOptions): Promise<Product> {
  const text = o.configText ?? readFileSync('config/default.yaml', 'utf8');
  const parsed = parseConfig(text, 'test-config.yaml');
  const config: Config = {
    ...parsed,
    sip: { ...parsed.sip, listen: o.listen ?? [{ host: o.sipHost, port: o.sipPort ?? 5060, transports: ['udp', 'tcp'] }] },
    ...(o.redisUrl ? { redis: { url: o.redisUrl } } : {}),
    // recordings and voicemail of a test go to a directory of its own, never into the checkout
    media: { ...parsed.media, recordingsDir: mkdtempSync(join(tmpdir(), 'product-rec-')), voicemailDir: mkdtempSync(join(tmpdir(), 'product-vm-')) },
  };
  const log = o.log ?? pino({ level: process.env.TEST_LOG ?? 'silent' });
  const engine = new SipEngine({
    sip: config.sip.listen.map((l) => ({ host: l.host, port: l.port, transports: l.transports, ...(l.tls && { tls: l.tls }) })),
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
  const hosts: readonly MediaHost[] = o.media === undefined ? [] : 'host' in o.media ? [o.media] : o.media;
  const mediaServers = await Promise.all(
    hosts.map((h) =>
      startMediaServer({
        eslAddress: h.host,
        eslPort: 8021,
        password: 'product-test',
        sipAddress: h.host,
        sipPort: 5080,
        rtpRangeStart: h.rtpStart,
        rtpRangeEnd: h.rtpStart + 200,
        soundsDir: config.media.soundsDir,
        recordingsDir: config.media.recordingsDir,
        logger: log.child({ component: 'media', host: h.host }),
      }),
    ),
  );
  const media = mediaServers[0];
  const port =
    media &&
    new MediaPort(
      srf,
      hosts.map((h, i) => ({ address: h.host, port: mediaServers[i]!.esl.port, secret: 'product-test', listenAddress: h.host })),
      log,
    );
  if (port) {
    port.start();
    for (let i = 0; i < 100 && port.health().servers.some((s) => !s.connected); i++) await new Promise((r) => setTimeout(r, 50));
    if (port.health().servers.some((s) => !s.connected)) throw new Error('the media port did not connect to every test media server');
  }
  const ctx = await createAppContext(srf, config, log, { nonceSecret: o.nonceSecret ?? 'test-nonce-secret', ...(o.clock && { clock: o.clock }), ...(port && { media: port }) });
  const services = startApplication(ctx);
  return {
    engine,
    ctx,
    services,
    ...(media && { media }),
    mediaServers,
    ...(port && { mediaPort: port }),
    config,
    target: `${o.sipHost}:${engine.listenPoints[0]!.port}`,
    async stop() {
      await stopCallServices(services);
      ctx.registrar.stop();
      port?.stop();
      for (const m of mediaServers) await m.stop();
      srf.disconnect();
      await ctx.store.close();
      await ctx.settings.close();
      await ctx.hotDesk.close();
      await closeVoicemail(ctx);
      await ctx.closeStoreConnection();
      await new Promise((r) => setTimeout(r, 50));
      await engine.stop();
    },
  };
}

export { gaugesSettled };
