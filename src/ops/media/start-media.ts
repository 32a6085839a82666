import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type Srf from 'drachtio-srf';
import type { Config } from '../../config/index.js';
import type { MediaGauges } from '../../media/media-server.js';
import { MediaPort, type MediaServerAddress } from '../../app/media/media-port.js';
import { resolveLogFormat } from '../logger.js';
import { startMediaThread, type EmbeddedMedia } from './media-thread.js';

/** Media as the product runs it: a port the calls use, and (embedded mode) the server behind it. */
export interface RunningMedia {
  readonly mode: Config['media']['mode'];
  /** absent when media.mode is off */
  readonly port?: MediaPort;
  /** the embedded server's live gauges; absent unless media.mode is embedded */
  gauges?(): MediaGauges;
  stop(): Promise<void>;
}

/**
 * `embedded`: the built-in media server in its own thread on loopback, with a password made up
 * for this start (only this process connects). `freeswitch`: the configured event socket(s).
 */
export async function startMedia(config: Config, srf: Srf, log: Logger): Promise<RunningMedia> {
  const media = config.media;
  const mlog = log.child({ component: 'media-port' });
  if (media.mode === 'off') return { mode: 'off', stop: async () => undefined };
  let embedded: EmbeddedMedia | undefined;
  let servers: MediaServerAddress[];
  if (media.mode === 'embedded') {
    embedded = await startMediaThread({
      host: media.embedded.host,
      sipPort: media.embedded.sipPort,
      rtpRangeStart: media.embedded.rtpRangeStart,
      rtpRangeEnd: media.embedded.rtpRangeEnd,
      soundsDir: media.soundsDir,
      recordingsDir: media.recordingsDir,
      password: randomBytes(18).toString('base64url'),
      logLevel: config.log.level,
      logFormat: resolveLogFormat(config.log.format),
    });
    servers = [{ address: embedded.esl.address, port: embedded.esl.port, secret: embedded.password, listenAddress: media.embedded.host }];
    log.info({ esl: `${embedded.esl.address}:${embedded.esl.port}`, sip: `${embedded.sip.address}:${embedded.sip.port}` }, 'embedded media server started');
  } else {
    servers = media.freeswitch.map((fs) => ({
      address: fs.host, port: fs.port, secret: fs.secret, listenAddress: fs.listenAddress,
      ...(fs.advertisedAddress !== undefined && { advertisedAddress: fs.advertisedAddress }),
    }));
  }
  const port = new MediaPort(srf, servers, mlog);
  port.start();
  const running: RunningMedia = {
    mode: media.mode,
    port,
    async stop() {
      port.stop();
      await embedded?.stop();
    },
  };
  if (embedded) {
    const e = embedded;
    return { ...running, gauges: () => e.gauges() };
  }
  return running;
}
