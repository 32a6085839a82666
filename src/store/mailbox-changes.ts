import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { connectRedis, redisConfigured, type StoreBackend } from './redis.js';

export type MailboxChangeListener = (tenant: string, extension: string) => void;

/**
 * Word between instances that a mailbox's new-message count changed. A subscription's in-dialog
 * NOTIFY can only come from the instance holding its dialog, so the instance that changed the
 * mailbox announces it and every other one notifies its own subscribers. In memory there is no
 * other instance: announcing does nothing.
 */
export interface MailboxChanges {
  announce(tenant: string, extension: string): void;
  /** `listener` hears the changes other instances announce. */
  listen(listener: MailboxChangeListener): void;
  close(): Promise<void>;
}

class LocalMailboxChanges implements MailboxChanges {
  announce(): void {}
  listen(): void {}
  async close(): Promise<void> {}
}

interface Announcement {
  origin: string;
  tenant: string;
  extension: string;
}

/** Redis pub/sub on `<prefix>:mwi`: publishes on the shared connection, listens on one of its own (a subscriber connection serves nothing else). */
class RedisMailboxChanges implements MailboxChanges {
  private readonly origin = randomUUID();
  private readonly channel: string;
  private subscriber: Redis | undefined;
  private readonly listeners: MailboxChangeListener[] = [];

  constructor(
    private readonly publisher: Redis,
    private readonly connect: () => Redis,
    prefix: string,
    private readonly onError: (err: Error) => void,
  ) {
    this.channel = `${prefix}:mwi`;
  }

  announce(tenant: string, extension: string): void {
    const message: Announcement = { origin: this.origin, tenant, extension };
    this.publisher.publish(this.channel, JSON.stringify(message)).catch(this.onError);
  }

  listen(listener: MailboxChangeListener): void {
    this.listeners.push(listener);
    if (this.subscriber) return;
    const sub = this.connect();
    this.subscriber = sub;
    // ioredis subscribes again by itself after a reconnection
    // a Redis outage shows in the store health; here each reconnection attempt would be one more error
    sub.on('error', () => undefined);
    sub.on('message', (_channel: string, text: string) => this.received(text));
    sub.subscribe(this.channel).catch(this.onError);
  }

  private received(text: string): void {
    let a: Partial<Announcement>;
    try {
      a = JSON.parse(text) as Partial<Announcement>;
    } catch {
      return;
    }
    if (a.origin === this.origin || typeof a.tenant !== 'string' || typeof a.extension !== 'string') return;
    for (const l of this.listeners) l(a.tenant, a.extension);
  }

  async close(): Promise<void> {
    const sub = this.subscriber;
    this.subscriber = undefined;
    if (sub) await sub.quit().catch(() => sub.disconnect());
  }
}

/** Redis pub/sub beside the process's shared connection when there is one, else this instance alone. */
export function createMailboxChanges(backend: StoreBackend, onError: (err: Error) => void): MailboxChanges {
  const { redis: cfg, client } = backend;
  if (!redisConfigured(cfg) || client === undefined) return new LocalMailboxChanges();
  // the subscription waits for a connection instead of failing while Redis is away
  const subscriber = (): Redis => connectRedis(cfg, { maxRetriesPerRequest: null, autoResendUnfulfilledCommands: true });
  return new RedisMailboxChanges(client, subscriber, cfg.keyPrefix ?? 'loc', onError);
}
