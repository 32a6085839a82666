import type { Redis } from 'ioredis';
import { adoptRedis, redisFor, type RedisConnectionConfig, type StoreBackend } from './redis.js';

/** One voicemail message; the audio is a WAV file on the media server's machine. */
export interface VoicemailMessage {
  /** unique in its mailbox (the file's base name) */
  id: string;
  /** who left it (the caller's number or user, `anonymous` when unknown) */
  caller: string;
  /** when it was recorded (ms since the epoch) */
  receivedAt: number;
  durationMs: number;
  /** the WAV, as the media server reads it */
  file: string;
  /** not yet heard (or kept new); `*97` plays new messages */
  isNew: boolean;
}

/** New and old message counts of a mailbox (RFC 3842 Voice-Message: new/old). */
export interface MailboxCounts {
  newCount: number;
  oldCount: number;
}

/**
 * The index of every mailbox (tenant/extension): message metadata; the audio stays in files.
 * In Redis every instance sees the same messages (and can play them from shared storage).
 */
export interface VoicemailStore {
  add(tenant: string, extension: string, message: VoicemailMessage): Promise<void>;
  /** oldest first */
  list(tenant: string, extension: string): Promise<VoicemailMessage[]>;
  /** marks a message heard (saved); false when it is gone */
  markOld(tenant: string, extension: string, id: string): Promise<boolean>;
  /** removes a message from the index; the removed message, or undefined when it was gone */
  remove(tenant: string, extension: string, id: string): Promise<VoicemailMessage | undefined>;
  close(): Promise<void>;
}

export function countsOf(messages: readonly VoicemailMessage[]): MailboxCounts {
  const newCount = messages.filter((m) => m.isNew).length;
  return { newCount, oldCount: messages.length - newCount };
}

const byAge = (a: VoicemailMessage, b: VoicemailMessage): number => a.receivedAt - b.receivedAt || a.id.localeCompare(b.id);

export class MemoryVoicemailStore implements VoicemailStore {
  private readonly boxes = new Map<string, Map<string, VoicemailMessage>>();

  private box(tenant: string, extension: string): Map<string, VoicemailMessage> {
    const key = `${tenant}\u0000${extension}`;
    let b = this.boxes.get(key);
    if (b === undefined) this.boxes.set(key, (b = new Map()));
    return b;
  }

  async add(tenant: string, extension: string, message: VoicemailMessage): Promise<void> {
    this.box(tenant, extension).set(message.id, { ...message });
  }

  async list(tenant: string, extension: string): Promise<VoicemailMessage[]> {
    return [...this.box(tenant, extension).values()].map((m) => ({ ...m })).sort(byAge);
  }

  async markOld(tenant: string, extension: string, id: string): Promise<boolean> {
    const m = this.box(tenant, extension).get(id);
    if (m === undefined) return false;
    m.isNew = false;
    return true;
  }

  async remove(tenant: string, extension: string, id: string): Promise<VoicemailMessage | undefined> {
    const b = this.box(tenant, extension);
    const m = b.get(id);
    b.delete(id);
    return m;
  }

  async close(): Promise<void> {}
}

function parse(json: string): VoicemailMessage | undefined {
  try {
    const v = JSON.parse(json) as Partial<VoicemailMessage>;
    if (typeof v.id !== 'string' || typeof v.file !== 'string' || typeof v.receivedAt !== 'number') return undefined;
    return { id: v.id, caller: String(v.caller ?? ''), receivedAt: v.receivedAt, durationMs: Number(v.durationMs ?? 0), file: v.file, isNew: v.isNew === true };
  } catch {
    return undefined;
  }
}

/** One hash per mailbox (`<prefix>:vm:<tenant>:<extension>`, field = message id, value = JSON); no expiry. */
export class RedisVoicemailStore implements VoicemailStore {
  private readonly redis: Redis;
  private readonly owned: boolean;
  private readonly prefix: string;

  constructor(opts: { redis: Redis | RedisConnectionConfig; keyPrefix?: string }) {
    ({ redis: this.redis, owned: this.owned, prefix: this.prefix } = adoptRedis(opts.redis, opts.keyPrefix));
  }

  private key(tenant: string, extension: string): string {
    return `${this.prefix}:vm:${tenant}:${extension}`;
  }

  async add(tenant: string, extension: string, message: VoicemailMessage): Promise<void> {
    await this.redis.hset(this.key(tenant, extension), message.id, JSON.stringify(message));
  }

  async list(tenant: string, extension: string): Promise<VoicemailMessage[]> {
    const h = await this.redis.hgetall(this.key(tenant, extension));
    return Object.values(h)
      .map(parse)
      .filter((m): m is VoicemailMessage => m !== undefined)
      .sort(byAge);
  }

  async markOld(tenant: string, extension: string, id: string): Promise<boolean> {
    // one script: a delete racing on another instance is never resurrected
    const script =
      "local v = redis.call('HGET', KEYS[1], ARGV[1]); if not v then return 0 end; " + "local m = cjson.decode(v); m['isNew'] = false; redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(m)); return 1";
    return (await this.redis.eval(script, 1, this.key(tenant, extension), id)) === 1;
  }

  async remove(tenant: string, extension: string, id: string): Promise<VoicemailMessage | undefined> {
    const key = this.key(tenant, extension);
    const results = await this.redis.multi().hget(key, id).hdel(key, id).exec();
    const v = results?.[0]?.[1];
    return typeof v === 'string' ? parse(v) : undefined;
  }

  async close(): Promise<void> {
    if (this.owned) await this.redis.quit().catch(() => undefined);
  }
}

export function createVoicemailStore(cfg: StoreBackend): VoicemailStore {
  const r = redisFor(cfg);
  if (r) return new RedisVoicemailStore(r);
  return new MemoryVoicemailStore();
}
