import type { Logger } from 'pino';
import type { CdrConfig } from '../../config/index.js';
import type { Cdr } from './cdr.js';
import type { CdrSink } from './cdr-sink.js';
import { FailureBurst } from './failure-burst.js';

type WebhookConfig = NonNullable<CdrConfig['webhook']>;

interface Queued {
  cdr: Cdr;
  tries: number;
}

const MAX_BACKOFF_MS = 30_000;

/**
 * POSTs each record as JSON to a billing URL, one at a time and in order. A call only queues its
 * record: sending, the timeout and the retries happen behind it. A record is retried (backing off)
 * up to `attempts` times; when the queue is full the oldest record is dropped. Failures and drops
 * are logged once per burst.
 */
export class CdrWebhookSink implements CdrSink {
  readonly name = 'webhook';
  private readonly queue: Queued[] = [];
  private sending: Promise<void> | undefined;
  private closed = false;
  private dropped = 0;
  private readonly burst: FailureBurst;

  constructor(
    private readonly cfg: WebhookConfig,
    private readonly log: Logger,
    private readonly baseBackoffMs = 500,
  ) {
    this.burst = new FailureBurst(log, `call records to the webhook ${redacted(cfg.url)}`);
  }

  write(cdr: Cdr): void {
    if (this.closed) return;
    this.queue.push({ cdr, tries: 0 });
    if (this.queue.length > this.cfg.queueSize) {
      const lost = this.queue.shift()!;
      if (this.dropped++ === 0) this.log.error({ callId: lost.cdr.callId, queueSize: this.cfg.queueSize }, 'call record webhook queue full: dropping the oldest records (logged once per burst)');
    }
    this.sending ??= this.drain().finally(() => (this.sending = undefined));
  }

  /** Settles when the queue is empty (every record sent or given up). */
  async flush(): Promise<void> {
    while (this.sending) await this.sending;
  }

  /** Stops taking records and gives what is queued one timeout's worth of time to go out. */
  async close(): Promise<void> {
    this.closed = true;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.flush(), new Promise<void>((r) => (timer = setTimeout(r, this.cfg.timeoutMs)))]);
    clearTimeout(timer);
    if (this.queue.length > 0) this.log.warn({ unsent: this.queue.length }, 'call records not sent to the webhook at stop');
    this.queue.length = 0;
  }

  /** records waiting (the one in flight not counted) */
  get queued(): number {
    return this.queue.length;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      // the record in flight is out of the queue: a full queue drops waiting records, not it
      const head = this.queue.shift()!;
      head.tries++;
      const err = await this.post(head.cdr);
      if (err === undefined) {
        this.burst.succeeded();
        if (this.dropped > 0) this.log.info({ dropped: this.dropped }, 'call record webhook queue has room again');
        this.dropped = 0;
        continue;
      }
      this.burst.failed(err, { callId: head.cdr.callId, attempt: head.tries });
      if (head.tries >= this.cfg.attempts) {
        this.log.warn({ callId: head.cdr.callId, attempts: head.tries, err }, 'call record not delivered to the webhook: given up');
        continue;
      }
      this.queue.unshift(head);
      if (this.closed) return;
      await sleep(Math.min(MAX_BACKOFF_MS, this.baseBackoffMs * 2 ** (head.tries - 1)));
    }
  }

  /** undefined when the URL took it (2xx), else why not. */
  private async post(cdr: Cdr): Promise<string | undefined> {
    try {
      const res = await fetch(this.cfg.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(this.cfg.authorization !== undefined && { authorization: this.cfg.authorization }) },
        body: JSON.stringify(cdr),
        signal: AbortSignal.timeout(this.cfg.timeoutMs),
      });
      await res.arrayBuffer().catch(() => undefined);
      return res.ok ? undefined : `HTTP ${res.status}`;
    } catch (err) {
      return err instanceof Error ? (err.name === 'TimeoutError' ? `no answer within ${this.cfg.timeoutMs} ms` : err.message) : String(err);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}

/** The URL without credentials or query, for logs. */
function redacted(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return 'webhook';
  }
}
