// Child process for test/bench/register.ts: the whole product (engine + app) alone in a process,
// so its CPU time is ours only. Talks to the parent over IPC: 'cpu' → { cpuMicros }, 'stop'.
import { startProduct } from '../helpers/product-harness.js';

const [sipHost, configFile, redisUrl] = process.argv.slice(2);
const { readFileSync } = await import('node:fs');
const product = await startProduct({
  sipHost: sipHost!,
  configText: readFileSync(configFile!, 'utf8'),
  ...(redisUrl ? { redisUrl } : {}),
  t1: 500,
});
process.on('message', (m: unknown) => {
  if (m === 'cpu') {
    const u = process.cpuUsage();
    process.send?.({ cpuMicros: u.user + u.system });
  } else if (m === 'stop') {
    void product.stop().then(() => process.exit(0));
  }
});
process.send?.({ ready: product.target });
