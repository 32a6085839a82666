import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { CommandReader, headerOf, type EslCommand } from './command-reader.js';
import { Subscriptions } from './subscriptions.js';
import { apiResponse, authRequest, commandReply, disconnectNotice, eventBody, eventFrameHead } from './frames.js';
import type { EslEvent } from './event.js';

/** What a session asks of the server it belongs to. */
export interface SessionHost {
  logger: Logger;
  api(line: string, session: EslSession): Promise<string>;
  /** queues a sendmsg; returns the Reply-Text */
  sendmsg(uuid: string | undefined, cmd: EslCommand, session: EslSession): string;
  /** the connect reply of an outbound socket (CHANNEL_DATA, plain) */
  channelData?(session: EslSession): string;
  closed(session: EslSession): void;
  /** the BACKGROUND_JOB event that ends a bgapi */
  backgroundJob(job: string, line: string, body: string): EslEvent;
}

export type SessionMode = { kind: 'inbound'; password: string } | { kind: 'outbound'; channelUuid: string };

/**
 * One event-socket connection (spec §2–§5), inbound (password, any channel) or outbound (one
 * channel, `connect` first). Commands are handled strictly in order with exactly one reply each.
 */
export class EslSession {
  readonly subs = new Subscriptions();
  private readonly reader = new CommandReader();
  private authed: boolean;
  private chain: Promise<void> = Promise.resolve();
  private ended = false;

  constructor(
    readonly socket: Socket,
    readonly mode: SessionMode,
    private readonly host: SessionHost,
  ) {
    this.authed = mode.kind === 'outbound';
    socket.setNoDelay(true);
    socket.on('data', (d: Buffer) => this.onData(d));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.ended = true;
      host.closed(this);
    });
    if (mode.kind === 'inbound') this.write(authRequest());
  }

  get channelUuid(): string | undefined {
    return this.mode.kind === 'outbound' ? this.mode.channelUuid : undefined;
  }

  get open(): boolean {
    return !this.ended;
  }

  /** Whether `deliver` could send such an event of that channel (its filters aside). */
  mayWant(name: string, subclass: string | undefined, channelUuid: string): boolean {
    if (this.ended || !this.authed || !this.subs.active) return false;
    const pin = this.subs.pinnedTo;
    return (pin === undefined || pin === channelUuid) && this.subs.wantsName(name, subclass);
  }

  deliver(ev: EslEvent): void {
    if (this.ended || !this.authed || !this.subs.active || !this.subs.wants(ev) || this.socket.destroyed) return;
    // the pieces go out in one writev: concatenating them would copy the cached variable text
    // into a new string for every event
    const b = eventBody(ev, this.subs.format);
    const s = this.socket;
    s.cork();
    s.write(eventFrameHead(b.bytes, this.subs.format));
    for (const p of b.parts) if (p !== '') s.write(p);
    s.uncork();
  }

  /** Sends the disconnect notice and closes (channel gone, exit, bad password). */
  close(notice = true): void {
    if (this.ended) return;
    this.ended = true;
    if (notice) this.socket.write(disconnectNotice(this.channelUuid));
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 2000).unref();
  }

  private write(s: string): void {
    if (!this.socket.destroyed) this.socket.write(s);
  }

  private onData(d: Buffer): void {
    let cmds: EslCommand[];
    try {
      cmds = this.reader.push(d);
    } catch (err) {
      this.host.logger.warn({ err }, 'malformed event-socket input; closing');
      this.close();
      return;
    }
    for (const c of cmds) this.chain = this.chain.then(() => this.handle(c)).catch((err: unknown) => this.host.logger.warn({ err }, 'event-socket command failed'));
  }

  private async handle(cmd: EslCommand): Promise<void> {
    if (this.ended) return;
    const sp = cmd.line.indexOf(' ');
    const verb = (sp < 0 ? cmd.line : cmd.line.slice(0, sp)).toLowerCase();
    const rest = sp < 0 ? '' : cmd.line.slice(sp + 1).trim();
    if (!this.authed) {
      if (verb !== 'auth' || this.mode.kind !== 'inbound') return this.write(commandReply('-ERR command not found'));
      if (rest === this.mode.password) {
        this.authed = true;
        return this.write(commandReply('+OK accepted'));
      }
      this.write(commandReply('-ERR invalid'));
      return this.close();
    }
    switch (verb) {
      case 'api':
        return this.write(apiResponse(await this.host.api(rest, this)));
      case 'bgapi':
        return this.bgapi(rest, headerOf(cmd, 'Job-UUID'));
      case 'event':
        return this.write(commandReply(this.subs.add(rest.split(/\s+/).filter((t) => t !== '')) ? `+OK event listener enabled ${this.subs.format}` : '-ERR no keywords supplied'));
      case 'nixevent':
        this.subs.remove(rest.split(/\s+/).filter((t) => t !== ''));
        return this.write(commandReply('+OK events nixed'));
      case 'noevents':
        this.subs.clear();
        return this.write(commandReply('+OK no longer listening for events'));
      case 'filter':
        return this.write(commandReply(this.filter(rest)));
      case 'sendmsg':
        return this.write(commandReply(this.host.sendmsg(rest === '' ? this.channelUuid : rest, cmd, this)));
      case 'connect':
        if (this.mode.kind !== 'outbound' || !this.host.channelData) break;
        return this.write(this.host.channelData(this));
      case 'myevents':
        if (this.channelUuid) this.subs.addFilter('Unique-ID', this.channelUuid);
        this.subs.add(['ALL']);
        return this.write(commandReply('+OK Events Enabled'));
      case 'linger':
        return this.write(commandReply('+OK will linger'));
      case 'nolinger':
        return this.write(commandReply('+OK will not linger'));
      case 'log':
      case 'nolog':
        return this.write(commandReply(verb === 'log' ? '+OK log level  [7]' : '+OK no longer logging'));
      case 'divert_events':
        return this.write(commandReply('+OK events diverted'));
      case 'resume':
        return this.write(commandReply('+OK'));
      case 'exit':
        this.write(commandReply('+OK bye'));
        return this.close();
    }
    this.write(commandReply('-ERR command not found'));
  }

  private filter(rest: string): string {
    const parts = rest.split(/\s+/).filter((t) => t !== '');
    if (parts[0] === 'delete') {
      const [, h, ...v] = parts;
      if (!h) return '-ERR invalid syntax';
      this.subs.deleteFilter(h, v.length ? v.join(' ') : undefined);
      return h.toLowerCase() === 'all' ? '+OK filter deleted.' : `+OK filter deleted. [${h}]${v.length ? `[${v.join(' ')}]` : ''}`;
    }
    if (parts[0] === 'add') parts.shift();
    const [h, ...v] = parts;
    if (!h || v.length === 0) return '-ERR invalid syntax';
    this.subs.addFilter(h, v.join(' '));
    return `+OK filter added. [${h}]=[${v.join(' ')}]`;
  }

  private async bgapi(line: string, jobUuid: string | undefined): Promise<void> {
    const job = jobUuid ?? crypto.randomUUID();
    this.write(commandReply(`+OK Job-UUID: ${job}`, [['Job-UUID', job]]));
    const body = await this.host.api(line, this);
    this.deliver(this.host.backgroundJob(job, line, body));
  }
}
