// Child process for test/bench/register.ts: the product as `npm start` runs it (runProduct), alone
// in a process so its CPU time (all threads) is ours only. argv: <sipHost> <configFile> <ownThread
// true|false> [redisUrl] [engine host:port, for an app instance on an engine of another process].
// Talks to the parent over IPC: 'cpu' → { cpuMicros }, 'stop'.
import { readFileSync } from 'node:fs';
import { parseConfig, type Config } from '../../src/config/index.js';
import { createLogger } from '../../src/ops/logger.js';
import { runProduct } from '../../src/ops/run-product.js';
import { snapshotEnvironment } from '../../src/ops/environment-snapshot.js';

// as main.ts does
snapshotEnvironment();
const [sipHost, configFile, ownThread, redisUrl, engineAt] = process.argv.slice(2);
const [engineHost, enginePort] = engineAt ? engineAt.split(':') : [];
const parsed = parseConfig(readFileSync(configFile!, 'utf8'), configFile!);
const config: Config = {
  ...parsed,
  sip: { ...parsed.sip, listen: [{ host: sipHost!, port: 5060, transports: ['udp', 'tcp'] }] },
  drachtio: engineHost ? { ...parsed.drachtio, mode: 'external', host: engineHost, port: Number(enginePort), secret: 'cymru' } : { ...parsed.drachtio, port: 0, ownThread: ownThread === 'true' },
  // REGISTERs need no media; the media thread would only add its idle CPU to the figures
  media: { ...parsed.media, mode: 'off' },
  ...(redisUrl && redisUrl !== '-' ? { redis: { url: redisUrl } } : {}),
};
// info logs (one line per REGISTER, as in production) go to stdout, which the parent discards
const product = await runProduct(config, createLogger('info'), { nonceSecret: 'bench-nonce-secret' });
await product.connected;
process.on('message', (m: unknown) => {
  if (m === 'cpu') {
    const u = process.cpuUsage();
    process.send?.({ cpuMicros: u.user + u.system });
  } else if (m === 'stop') {
    void product.stop().then(() => process.exit(0));
  }
});
process.send?.({ ready: `${sipHost}:5060` });
