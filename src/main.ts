import { randomBytes } from 'node:crypto';
import { ConfigError, formatWarning, loadConfig, type Config } from './config/index.js';
import { createLogger, resolveLogFormat } from './ops/logger.js';
import { applyEnvironment } from './ops/environment.js';
import { snapshotEnvironment } from './ops/environment-snapshot.js';
import { runProduct } from './ops/run-product.js';
import { EngineStartError } from './engine/listen-error.js';
import { MediaStartError } from './ops/media/media-thread.js';

snapshotEnvironment();
const file = process.env.CONFIG_FILE ?? 'config/default.yaml';
let config: Config;
try {
  config = applyEnvironment(loadConfig(file), process.env);
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  throw err;
}
const log = createLogger(config.log.level, resolveLogFormat(config.log.format));
for (const w of config.warnings) log.warn(formatWarning(w));

const nonceSecret = process.env.NONCE_SECRET ?? randomBytes(32).toString('hex');
if (!process.env.NONCE_SECRET && config.redis) log.warn('NONCE_SECRET is not set: nonces issued here are not verifiable by other instances');
let product: Awaited<ReturnType<typeof runProduct>>;
try {
  product = await runProduct(config, log, { nonceSecret, load: () => applyEnvironment(loadConfig(file), process.env) });
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  if (!(err instanceof EngineStartError) && !(err instanceof MediaStartError)) throw err;
  process.stderr.write(`sip-b2bua: ${err.message}\n`);
  process.exit(1);
}
log.info({ config: file, tenants: [...config.tenants.keys()], engineThread: config.drachtio.mode === 'embedded' && config.drachtio.ownThread }, 'application started');

// the first SIGTERM/SIGINT drains (no new calls, live calls may end); a second one stops at once
let signalled = false;
async function shutdown(signal: string): Promise<void> {
  if (signalled) {
    log.info({ signal }, 'second signal: stopping now');
    await product.stopNow();
  } else {
    signalled = true;
    log.info({ signal }, 'shutting down: draining');
    await product.drain();
  }
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
// SIGHUP reads the configuration file again (a bad file is logged and changes nothing)
process.on('SIGHUP', () => {
  product.reload();
});
