import type { Socket } from 'node:dgram';
import pino from 'pino';
import { Channel } from '../../../src/media/channel/channel.js';
import type { ServerContext } from '../../../src/media/channel/context.js';
import { newIdentity } from '../../../src/media/esl/event-factory.js';
import type { EslEvent } from '../../../src/media/esl/event.js';
import type { Pacer } from '../../../src/media/rtp/pacer.js';
import { RtpSession } from '../../../src/media/rtp/rtp-session.js';

/** A channel with a recording fake socket and event sink; the test drives ticks by hand. */
export interface FakeChannel {
  ch: Channel;
  events: EslEvent[];
  sent: Buffer[];
  byes: string[];
  /** runs n 20 ms ticks, advancing fake time too when `advance` is given */
  ticks(n: number, advance?: (ms: number) => void): void;
  names(): string[];
}

export function fakeChannel(recordingsDir = '/tmp'): FakeChannel {
  const events: EslEvent[] = [];
  const sent: Buffer[] = [];
  const byes: string[] = [];
  const pacer = { add: () => undefined, remove: () => undefined } as unknown as Pacer;
  const ctx: ServerContext = {
    identity: newIdentity('127.1.99.1'),
    events: { fire: (e) => events.push(e) },
    pacer,
    logger: pino({ level: 'silent' }),
    counters: { outboundSockets: 0, openRecordings: 0 },
    channels: new Map(),
    globals: new Map([['sounds_dir', '/tmp']]),
    soundsDir: '/tmp',
    recordingsDir,
    profile: 'drachtio_mrf',
    sessionsSinceStartup: { n: 0 },
  };
  const socket = {
    on: () => socket,
    send: (b: Buffer) => void sent.push(Buffer.from(b)),
    connect: () => undefined,
    disconnect: () => undefined,
  } as unknown as Socket;
  const ch = new Channel(ctx, 'sofia/test/1', { bye: async (c) => void byes.push(c) });
  ctx.channels.set(ch.uuid, ch);
  ch.activate(new RtpSession(socket, 40000, { codec: 'PCMU', dtmfPt: 101, remoteAddress: '127.1.99.2', remotePort: 40002 }));
  ch.vars.set('send_silence_when_idle', '-1');
  return {
    ch,
    events,
    sent,
    byes,
    ticks(n, advance) {
      for (let i = 0; i < n; i++) {
        ch.tick();
        advance?.(20);
      }
    },
    names: () => events.map((e) => e.name),
  };
}

/** Lets queued microtasks (app promise chains) run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}
