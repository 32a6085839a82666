import pino from 'pino';
import { parseMediaArgs } from './cli-args.js';
import { MediaError } from './errors.js';
import { startMediaServer } from './media-server.js';

/** `npm run media -- <flags>`: the embedded media server alone (fsmrf connects to its event socket). */
async function main(): Promise<void> {
  const opts = parseMediaArgs(process.argv.slice(2));
  const logger = pino({ name: 'media-server', level: opts.loglevel, redact: { paths: ['password'], censor: '[redacted]' } });
  const server = await startMediaServer({ ...opts, logger });
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
