import pino from 'pino';
import Srf from 'drachtio-srf';
import Mrf from 'drachtio-fsmrf';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SipEngine } from '../../src/engine/engine.js';
import { startMediaServer, type MediaGauges, type MediaServer, type MediaServerOptions } from '../../src/media/media-server.js';

/**
 * Unmodified drachtio-fsmrf on the embedded engine, driving the embedded media server. Everything
 * binds `ip` (a 127.1.x.y address of the test file's own): app engine SIP 5060, media SIP 5080,
 * event socket 8021, RTP from `rtpStart`.
 */
export interface MediaHarness {
  ip: string;
  engine: SipEngine;
  srf: Srf;
  media: MediaServer;
  ms: Mrf.MediaServer;
  recordings: string;
  stop(): Promise<void>;
}

export async function startMediaHarness(ip: string, opts: Partial<MediaServerOptions> & { rtpStart?: number } = {}): Promise<MediaHarness> {
  const logger = pino({ level: process.env.TEST_LOG ?? 'silent' });
  const recordings = mkdtempSync(join(tmpdir(), 'media-rec-'));
  const media = await startMediaServer({
    eslAddress: ip,
    eslPort: 8021,
    sipAddress: ip,
    sipPort: 5080,
    rtpRangeStart: opts.rtpStart ?? 30000,
    rtpRangeEnd: (opts.rtpStart ?? 30000) + 400,
    recordingsDir: recordings,
    logger,
    ...opts,
  });
  const engine = new SipEngine({ sip: [{ host: ip, port: 5060, transports: ['udp'] }], wire: { host: ip, port: 0, secret: 's' }, logger, timers: { t1: 50 } });
  await engine.start();
  const srf = new Srf();
  await new Promise<void>((resolve, reject) => {
    srf.connect({ host: ip, port: engine.wirePort, secret: 's' });
    srf.once('connect', (err: Error | undefined) => (err ? reject(err) : resolve()));
  });
  const mrf = new Mrf(srf);
  const ms = await mrf.connect({ address: ip, port: media.esl.port, secret: 'ClueCon', listenAddress: ip });
  return {
    ip,
    engine,
    srf,
    media,
    ms,
    recordings,
    async stop() {
      ms.disconnect();
      srf.disconnect();
      await media.stop();
      await engine.stop();
    },
  };
}

/** Waits until every media gauge except the inbound connection count is zero. */
export async function mediaSettled(media: MediaServer, timeoutMs = 5000): Promise<MediaGauges> {
  const deadline = Date.now() + timeoutMs;
  let g = media.gauges();
  while (Date.now() < deadline) {
    g = media.gauges();
    if (g.channels === 0 && g.outboundSockets === 0 && g.rtpPorts === 0 && g.openRecordings === 0) return g;
    await new Promise((r) => setTimeout(r, 50));
  }
  return g;
}
