import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Cdr } from './cdr.js';
import type { CdrSink, CdrSource } from './cdr-sink.js';
import { FailureBurst } from './failure-burst.js';

/** Longest a record waits for Redis before it is given up (logged); a call never waits for it. */
const WRITE_TIMEOUT_MS = 5_000;

/**
 * Each record is one stream entry (`XADD <key> MAXLEN ~ <maxLen> * cdr <json>`): every instance on
 * the same Redis appends to the same stream, in the order Redis receives them, and the stream
 * stays about `maxLen` long. Read back newest first with XREVRANGE.
 */
export class CdrRedisStreamSink implements CdrSink, CdrSource {
  readonly name = 'redis-stream';
  private readonly pending = new Set<Promise<void>>();
  private readonly burst: FailureBurst;

  constructor(
    private readonly redis: Redis,
    readonly key: string,
    private readonly maxLen: number,
    log: Logger,
    private readonly owned = true,
  ) {
    this.burst = new FailureBurst(log, `call records to the Redis stream ${key}`);
    // connection errors surface as failed writes (logged once per burst); not as unhandled events
    if (owned) redis.on('error', (err: Error) => log.debug({ err: err.message }, 'CDR Redis connection error'));
  }

  write(cdr: Cdr): void {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer from Redis within ${WRITE_TIMEOUT_MS} ms`)), WRITE_TIMEOUT_MS);
      timer.unref();
    });
    const sent = Promise.race([this.redis.xadd(this.key, 'MAXLEN', '~', String(this.maxLen), '*', 'cdr', JSON.stringify(cdr)), timeout])
      .then(
        () => this.burst.succeeded(),
        (err: unknown) => this.burst.failed(err, { key: this.key, callId: cdr.callId }),
      )
      .finally(() => {
        clearTimeout(timer);
        this.pending.delete(sent);
      });
    this.pending.add(sent);
  }

  async flush(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  async close(): Promise<void> {
    await this.flush();
    if (this.owned) await this.redis.quit().catch(() => undefined);
  }

  async recent(limit: number): Promise<Cdr[]> {
    const entries = await this.redis.xrevrange(this.key, '+', '-', 'COUNT', limit);
    return entries.flatMap(([, fields]) => {
      const i = fields.indexOf('cdr');
      if (i < 0 || fields[i + 1] === undefined) return [];
      try {
        return [JSON.parse(fields[i + 1]!) as Cdr];
      } catch {
        return [];
      }
    });
  }
}
