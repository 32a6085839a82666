import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type Srf from 'drachtio-srf';
import type { Config } from '../../config/index.js';
import type { MediaGauges } from '../../media/media-server.js';
import { MediaPort, type MediaServerAddress } from '../../app/media/media-port.js';
import { resolveLogFormat } from '../logger.js';
import { schedulingRefusal } from './scheduling-refusal.js';
import { startMediaThread, type EmbeddedMedia } from './media-thread.js';

/** Media as the product runs it: a port the calls use, and (embedded mode) the server behind it. */
export interface RunningMedia {
  readonly mode: Config['media']['mode'];
  /** absent when media.mode is off */
  readonly port?: MediaPort;
  /** the embedded server's live gauges; absent unless media.mode is embedded */
  gauges?(): MediaGauges;
  /** the embedded media threads (priority, timing); absent unless media.mode is embedded */
  readonly embedded?: readonly EmbeddedMedia[];
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
  let embedded: EmbeddedMedia[] = [];
  let servers: MediaServerAddress[];
  if (media.mode === 'embedded') {
    embedded = await startMediaThreads(config, log);
    servers = embedded.map((e) => ({ address: e.esl.address, port: e.esl.port, secret: e.password, listenAddress: media.embedded.host }));
  } else {
    servers = media.freeswitch.map((fs) => ({
      address: fs.host,
      port: fs.port,
      secret: fs.secret,
      listenAddress: fs.listenAddress,
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
      await Promise.all(embedded.map((e) => e.stop()));
    },
  };
  if (embedded.length > 0) {
    const threads = embedded;
    return { ...running, embedded: threads, gauges: () => sumGauges(threads.map((e) => e.gauges())) };
  }
  return running;
}

/**
 * `media.embedded.threads` media servers, one worker thread each: thread i on SIP port
 * sipPort + 2·i with the i-th even share of the RTP range. One loop per server keeps each pacer's
 * wake-ups from queueing behind the event-socket and SIP work of every other channel.
 */
async function startMediaThreads(config: Config, log: Logger): Promise<EmbeddedMedia[]> {
  const e = config.media.embedded;
  const span = Math.floor((e.rtpRangeEnd - e.rtpRangeStart + 1) / e.threads / 2) * 2;
  const started = await Promise.allSettled(
    Array.from({ length: e.threads }, (_, i) =>
      startMediaThread({
        host: e.host,
        sipPort: e.sipPort + 2 * i,
        rtpRangeStart: e.rtpRangeStart + i * span,
        rtpRangeEnd: i === e.threads - 1 ? e.rtpRangeEnd : e.rtpRangeStart + (i + 1) * span - 1,
        soundsDir: config.media.soundsDir,
        recordingsDir: config.media.recordingsDir,
        password: randomBytes(18).toString('base64url'),
        logLevel: config.log.level,
        logFormat: resolveLogFormat(config.log.format),
        priority: e.priority,
        realtimePriority: e.realtimePriority,
      }),
    ),
  );
  const ok = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await Promise.all(ok.map((m) => m.stop()));
    throw failed.reason;
  }
  for (const m of ok)
    log.info({ esl: `${m.esl.address}:${m.esl.port}`, sip: `${m.sip.address}:${m.sip.port}`, nice: m.priority.nice, realtime: m.priority.realtime.rr ?? 'off' }, 'embedded media server started');
  const refusal = schedulingRefusal(
    e,
    ok.map((m) => m.priority),
  );
  if (refusal) log.info(refusal.fields, refusal.msg);
  return ok;
}

function sumGauges(gs: MediaGauges[]): MediaGauges {
  const sum: MediaGauges = { channels: 0, outboundSockets: 0, inboundConnections: 0, rtpPorts: 0, openRecordings: 0 };
  for (const g of gs) for (const k of Object.keys(sum) as Array<keyof MediaGauges>) sum[k] += g[k];
  return sum;
}
