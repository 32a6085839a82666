import pino from 'pino';
import { parseMediaArgs } from './cli-args.js';
import { MediaError } from './errors.js';
import { startMediaServer } from './media-server.js';
import { applyRealtimeScheduling } from '../lib/realtime-scheduling.js';

/** `npm run media -- <flags>`: the embedded media server alone (fsmrf connects to its event socket). */
async function main(): Promise<void> {
  const opts = parseMediaArgs(process.argv.slice(2));
  const logger = pino({ name: 'media-server', level: opts.loglevel, redact: { paths: ['password'], censor: '[redacted]' } });
  const server = await startMediaServer({ ...opts, logger });
  if (opts.realtimePriority) {
    // the server runs on this thread: its pacer gets the core the moment its timer fires
    const rt = await applyRealtimeScheduling(opts.realtimePriority);
    if (rt.rr !== undefined) logger.info({ realtime: rt.rr }, `media server thread runs in SCHED_RR ${rt.rr}`);
    else
      logger.info(
        { wanted: opts.realtimePriority, refused: rt.refused },
        `media server thread runs without real-time scheduling: SCHED_RR ${opts.realtimePriority} was refused (${rt.refused}); run with CAP_SYS_NICE`,
      );
  }
  const stop = async (): Promise<void> => {
    await server.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof MediaError ? err.message : String(err)}\n`);
  process.exit(err instanceof MediaError && err.code === 'MEDIA_BAD_FLAG' ? 2 : 1);
});
