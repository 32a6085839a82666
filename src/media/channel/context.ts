import type { Logger } from 'pino';
import type { EslEvent } from '../esl/event.js';
import type { Identity } from '../esl/event-factory.js';
import type { Pacer } from '../rtp/pacer.js';
import type { Channel } from './channel.js';

/** Where fired events go: every ESL listener decides by its subscriptions and filters. */
export interface EventSink {
  fire(ev: EslEvent): void;
  /** whether any listener may want such an event of that channel (when false it is not built);
   * without it every event is built */
  wants?(name: string, subclass: string | undefined, channelUuid: string): boolean;
}

/** Counters behind the gauges (spec: return to zero on every path). */
export interface MediaCounters {
  outboundSockets: number;
  openRecordings: number;
}

/** What a channel needs from the server that owns it. */
export interface ServerContext {
  identity: Identity;
  events: EventSink;
  pacer: Pacer;
  logger: Logger;
  counters: MediaCounters;
  channels: Map<string, Channel>;
  globals: ReadonlyMap<string, string>;
  soundsDir: string;
  recordingsDir: string;
  profile: string;
  sessionsSinceStartup: { n: number };
}

/** The SIP dialog as the channel sees it. */
export interface SipLeg {
  /** sends BYE (idempotent); resolves when sent or already gone */
  bye(cause: string): Promise<void>;
}
