import { randomBytes } from 'node:crypto';
import Srf from 'drachtio-srf';
import { ConfigError, formatWarning, loadConfig, type Config } from './config/index.js';
import { SipEngine } from './engine/engine.js';
import { createAppContext } from './app/context.js';
import { startApplication } from './app/app.js';
import { createLogger } from './ops/logger.js';
import { startHttp } from './ops/http.js';
import { applyEnvironment } from './ops/environment.js';

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
const log = createLogger(config.log.level);
for (const w of config.warnings) log.warn(formatWarning(w));

let engine: SipEngine | undefined;
let wire = { host: config.drachtio.host, port: config.drachtio.port, secret: config.drachtio.secret };
if (config.drachtio.mode === 'embedded') {
  engine = new SipEngine({
    sip: config.sip.listen.map((l) => ({ host: l.host, port: l.port, transports: l.transports })),
    wire: { host: '127.0.0.1', port: config.drachtio.port, secret: config.drachtio.secret },
    logger: log.child({ component: 'engine' }),
  });
  await engine.start();
  wire = { host: '127.0.0.1', port: engine.wirePort, secret: config.drachtio.secret };
}

const srf = new Srf();
let connected = false;
srf.on('connect', (err: Error | undefined, hostport: string) => {
  if (err) return log.error({ err: err.message }, 'could not connect to the SIP engine');
  connected = true;
  log.info({ engine: `${wire.host}:${wire.port}`, sip: hostport, mode: config.drachtio.mode }, 'connected to the SIP engine');
});
srf.on('disconnect', () => {
  connected = false;
  log.warn('disconnected from the SIP engine; reconnecting');
});
srf.on('error', (err: Error) => log.error({ err: err.message }, 'SIP engine connection error'));
srf.connect(wire);

const nonceSecret = process.env.NONCE_SECRET ?? randomBytes(32).toString('hex');
if (!process.env.NONCE_SECRET && config.redis) log.warn('NONCE_SECRET is not set: nonces issued here are not verifiable by other instances');
const ctx = await createAppContext(srf, config, log, { nonceSecret });
startApplication(ctx);
const http = config.http.enabled ? await startHttp(config.http.host, config.http.port, { engineStats: engine && (() => engine!.stats()), connected: () => connected }) : undefined;
log.info({ config: file, tenants: [...config.tenants.keys()] }, 'application started');

async function shutdown(signal: string): Promise<void> {
  log.info({ signal }, 'shutting down');
  srf.disconnect();
  await http?.close();
  await engine?.stop();
  await ctx.store.close();
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
