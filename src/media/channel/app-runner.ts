import type { App } from '../apps/types.js';
import type { Channel } from './channel.js';
import { BreakSignal } from './break-signal.js';

export interface QueuedApp {
  app: string;
  arg: string;
  eventUuid: string | undefined;
}

/**
 * The channel's sendmsg queue (spec §5.3): messages run strictly one at a time in order, each with
 * CHANNEL_EXECUTE before and CHANNEL_EXECUTE_COMPLETE after (Application-UUID echoing Event-UUID).
 * An unknown app hangs the channel up with DESTINATION_OUT_OF_ORDER and fires no events.
 */
export class AppRunner {
  private readonly queue: QueuedApp[] = [];
  private running: BreakSignal | undefined;
  private readonly idleWaiters: Array<() => void> = [];

  constructor(
    private readonly channel: Channel,
    private readonly apps: ReadonlyMap<string, App>,
  ) {
    channel.onHangup.push(() => {
      this.queue.length = 0;
      this.running?.abort();
    });
  }

  enqueue(q: QueuedApp): void {
    this.queue.push(q);
    if (!this.running) void this.drain();
  }

  /** uuid_break: stop the running app; `all` also drops what is queued. */
  breakCurrent(all: boolean): void {
    if (all) this.queue.length = 0;
    this.running?.abort();
  }

  get busy(): boolean {
    return this.running !== undefined;
  }

  /** Resolves once no app is running (an app interrupted by hang-up still reports its completion). */
  idle(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async drain(): Promise<void> {
    for (let q = this.queue.shift(); q; q = this.queue.shift()) {
      if (!this.channel.up) return;
      const app = this.apps.get(q.app.toLowerCase());
      if (!app) {
        this.channel.log.warn({ app: q.app }, 'invalid application');
        this.channel.hangup('DESTINATION_OUT_OF_ORDER');
        return;
      }
      const signal = new BreakSignal();
      this.running = signal;
      const arg = this.channel.vars.get('app_disable_expand_variables') === 'true' ? q.arg : this.channel.vars.expand(q.arg);
      const ids: Array<[string, string]> = [
        ['Application', q.app.toLowerCase()],
        ['Application-Data', arg],
        ['Application-UUID', q.eventUuid ?? crypto.randomUUID()],
      ];
      if (q.eventUuid) ids.push(['Application-UUID-Name', '_none_']);
      this.channel.vars.set('current_application', q.app.toLowerCase());
      this.channel.vars.set('current_application_data', arg);
      this.channel.fire('CHANNEL_EXECUTE', ids);
      let response: string | undefined;
      try {
        response = await app({ channel: this.channel, arg, signal });
      } catch (err) {
        this.channel.log.warn({ err, app: q.app }, 'application failed');
        response = '-ERR';
      }
      this.running = undefined;
      if (response !== undefined) this.channel.vars.set('current_application_response', response);
      if (this.channel.state !== 'DESTROYED') this.channel.fire('CHANNEL_EXECUTE_COMPLETE', [...ids, ['Application-Response', response ?? '_none_']]);
      if (!this.channel.up) break;
    }
    this.running = undefined;
    for (const w of this.idleWaiters.splice(0)) w();
  }
}
