import pino from 'pino';
import { CliError, parseEngineArgs } from './cli-args.js';
import { SipEngine } from './engine.js';
import { describeListenError } from './listen-error.js';

/** `npm run engine -- <drachtio-server flags>`: the embedded engine alone, for apps in other processes. */
let opts;
try {
  opts = parseEngineArgs(process.argv.slice(2));
} catch (err) {
  if (err instanceof CliError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  throw err;
}
const logger = pino({ name: 'sip-engine', level: opts.loglevel, redact: { paths: ['secret'], censor: '[redacted]' } });
const engine = new SipEngine({ sip: opts.contacts, wire: { host: opts.address, port: opts.port, secret: opts.secret }, logger });
try {
  await engine.start();
} catch (err) {
  const reason = describeListenError(err);
  if (reason === undefined) throw err;
  process.stderr.write(`sip-engine: ${reason}\n`);
  await engine.stop().catch(() => undefined);
  process.exit(1);
}
const stop = async (): Promise<void> => {
  await engine.stop();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
