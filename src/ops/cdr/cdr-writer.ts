import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { AppContext } from '../../app/context.js';
import type { CallRecord } from '../../app/calls/call-record.js';
import type { CallServices } from '../../app/calls/services.js';
import { connectRedis, redisConfigured } from '../../store/redis.js';
import type { Cdr } from './cdr.js';
import type { CdrSink, CdrSource } from './cdr-sink.js';
import { toCdr } from './cdr.js';
import { CdrFileSink } from './file-sink.js';
import { CdrMemorySink } from './memory-sink.js';
import { CdrRedisStreamSink } from './redis-stream-sink.js';
import { CdrWebhookSink } from './webhook-sink.js';

/** Trunk names of the record's tenant, to tell trunk attempts from device legs. */
export function trunkNamesOf(ctx: AppContext, r: Readonly<CallRecord>): ReadonlySet<string> {
  return new Set(r.tenant === undefined ? [] : ctx.config.tenants.get(r.tenant)?.trunks.keys());
}

/** The call records of this instance: where they are written, and where "recent calls" reads them. */
export interface CdrRecorder {
  readonly sinks: readonly CdrSink[];
  /** The last `limit` records, newest first, from the first source that answers (stream, file, memory). */
  recent(limit: number): Promise<{ source: CdrSource['name']; cdrs: Cdr[] }>;
  flush(): Promise<void>;
  close(): Promise<void>;
}

/**
 * One CDR per finished call to every configured sink: the file (`cdr.file`), the Redis stream
 * (when `redis` is configured and `cdr.stream.enabled`), the webhook (`cdr.webhook`), and memory.
 */
export function startCdr(ctx: AppContext, services: Pick<CallServices, 'callListeners'>, log: Logger, instance = defaultInstanceName(ctx)): CdrRecorder {
  const cfg = ctx.config.cdr;
  const sinks: CdrSink[] = [];
  const sources: CdrSource[] = [];
  const redis = ctx.config.redis;
  if (redisConfigured(redis) && cfg.stream.enabled) {
    const stream = new CdrRedisStreamSink(connectRedis(redis), cfg.stream.key, cfg.stream.maxLen, log);
    sinks.push(stream);
    sources.push(stream);
  }
  if (cfg.file !== undefined) {
    const file = new CdrFileSink(cfg.file, cfg, log);
    sinks.push(file);
    sources.push(file);
  }
  if (cfg.webhook !== undefined) sinks.push(new CdrWebhookSink(cfg.webhook, log));
  const memory = new CdrMemorySink(cfg.memory);
  sinks.push(memory);
  sources.push(memory);
  services.callListeners.push((r) => {
    const cdr = toCdr(r, trunkNamesOf(ctx, r), Date.now(), instance);
    for (const s of sinks) s.write(cdr);
  });
  log.info({ sinks: sinks.map((s) => s.name), instance }, 'call records on');
  return {
    sinks,
    async recent(limit) {
      for (const s of sources) {
        try {
          return { source: s.name, cdrs: await s.recent(limit) };
        } catch (err) {
          log.warn({ source: s.name, err: err instanceof Error ? err.message : String(err) }, 'recent call records unreadable here; trying the next source');
        }
      }
      return { source: 'memory', cdrs: await memory.recent(limit) };
    },
    async flush() {
      await Promise.all(sinks.map((s) => s.flush()));
    },
    async close() {
      await Promise.all(sinks.map((s) => s.close()));
    },
  };
}

/** `host/sip-address:port` of the first listen point: tells the instances writing one stream apart. */
function defaultInstanceName(ctx: AppContext): string {
  const l = ctx.config.sip.listen[0];
  return l === undefined ? hostname() : `${hostname()}/${l.host}:${l.port}`;
}
