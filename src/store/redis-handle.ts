import type { Redis } from 'ioredis';
import { connectRedis, type RedisConnectionConfig } from './redis.js';

/** A Redis store's connection: a client it was given (not closed by it) or one it opened (closed by it). */
export interface RedisHandle {
  redis: Redis;
  owned: boolean;
  prefix: string;
}

export function redisHandle(opts: { redis: Redis | RedisConnectionConfig; keyPrefix?: string }): RedisHandle {
  const r = opts.redis;
  const given = 'hgetall' in r;
  return {
    redis: given ? r : connectRedis(r),
    owned: !given,
    prefix: opts.keyPrefix ?? (given ? 'loc' : r.keyPrefix ?? 'loc'),
  };
}
