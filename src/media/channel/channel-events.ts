import { baseEvent } from '../esl/event-factory.js';
import type { EslEvent } from '../esl/event.js';
import { HeaderBlock } from '../esl/header-block.js';
import type { Channel } from './channel.js';
import { fsChannelState } from './state.js';
import type { ServerContext } from './context.js';

/** Event types that carry every channel variable (spec §2.5). */
const WITH_VARIABLES = new Set([
  'CHANNEL_CREATE',
  'CHANNEL_ANSWER',
  'CHANNEL_PARK',
  'CHANNEL_UNPARK',
  'CHANNEL_BRIDGE',
  'CHANNEL_UNBRIDGE',
  'CHANNEL_PROGRESS_MEDIA',
  'CHANNEL_HANGUP',
  'CHANNEL_HANGUP_COMPLETE',
  'CHANNEL_DATA',
  'CHANNEL_EXECUTE',
  'CHANNEL_EXECUTE_COMPLETE',
  'CHANNEL_DESTROY',
  'RECORD_START',
  'RECORD_STOP',
  'PLAYBACK_START',
  'PLAYBACK_STOP',
  'CUSTOM',
  'API',
]);

/** Something headers are added to in order: an event, or a block being collected. */
interface HeaderSink {
  add(name: string, value: string): HeaderSink;
}

class Collected implements HeaderSink {
  readonly names: string[] = [];
  readonly values: string[] = [];

  add(name: string, value: string): this {
    this.names.push(name);
    this.values.push(value);
    return this;
  }
}

/** Caller-profile fields, prefixed `Caller` in channel data and `Channel` in the connect reply. */
export function addProfile(ev: HeaderSink, ch: Channel, prefix: string): void {
  const v = (n: string): string => ch.vars.get(n) ?? '';
  ev.add(`${prefix}-Direction`, 'inbound')
    .add(`${prefix}-Logical-Direction`, 'inbound')
    .add(`${prefix}-Username`, v('sip_from_user'))
    .add(`${prefix}-Dialplan`, 'XML')
    .add(`${prefix}-Caller-ID-Name`, v('sip_from_user'))
    .add(`${prefix}-Caller-ID-Number`, v('sip_from_user'))
    .add(`${prefix}-Network-Addr`, v('sip_network_ip'))
    .add(`${prefix}-ANI`, v('sip_from_user'))
    .add(`${prefix}-Destination-Number`, v('sip_to_user'))
    .add(`${prefix}-Unique-ID`, ch.uuid)
    .add(`${prefix}-Source`, 'mod_sofia')
    .add(`${prefix}-Context`, 'mrf')
    .add(`${prefix}-Channel-Name`, ch.name)
    .add(`${prefix}-Profile-Index`, '1')
    .add(`${prefix}-Channel-Created-Time`, String(ch.createdAt * 1000));
}

/** What the basic-data block depends on besides the channel's constants (name, uuid, creation). */
interface BasicKey {
  state: Channel['state'];
  hangupCause: string | undefined;
  codec: string;
  fromUser: string | undefined;
  toUser: string | undefined;
  networkIp: string | undefined;
}

/** per channel, its basic-data block and what it was built from (owned here; gone with the channel) */
const basicBlocks = new WeakMap<Channel, { key: BasicKey; block: HeaderBlock }>();

/**
 * The channel's state, codecs and caller profile (spec §2.5), the same for most of its events: a
 * shared block rebuilt only when one of its inputs changes.
 */
export function addBasicData(ev: EslEvent, ch: Channel): void {
  const fromUser = ch.vars.get('sip_from_user');
  const toUser = ch.vars.get('sip_to_user');
  const networkIp = ch.vars.get('sip_network_ip');
  const cached = basicBlocks.get(ch);
  if (cached) {
    const k = cached.key;
    if (k.state === ch.state && k.hangupCause === ch.hangupCause && k.codec === ch.codec && k.fromUser === fromUser && k.toUser === toUser && k.networkIp === networkIp) {
      ev.addBlock(cached.block);
      return;
    }
  }
  const key: BasicKey = { state: ch.state, hangupCause: ch.hangupCause, codec: ch.codec, fromUser, toUser, networkIp };
  const c = new Collected();
  collectBasicData(c, ch);
  const block = new HeaderBlock(c.names, c.values);
  basicBlocks.set(ch, { key, block });
  ev.addBlock(block);
}

function collectBasicData(ev: HeaderSink, ch: Channel): void {
  const s = fsChannelState(ch.state);
  const codec = ch.codec;
  ev.add('Channel-State', s.state)
    .add('Channel-Call-State', s.callState)
    .add('Channel-State-Number', String(s.number))
    .add('Channel-Name', ch.name)
    .add('Unique-ID', ch.uuid)
    .add('Call-Direction', 'inbound')
    .add('Presence-Call-Direction', 'inbound')
    .add('Channel-HIT-Dialplan', 'true')
    .add('Channel-Call-UUID', ch.uuid)
    .add('Answer-State', s.answerState);
  if (ch.hangupCause) ev.add('Hangup-Cause', ch.hangupCause);
  ev.add('Channel-Read-Codec-Name', codec)
    .add('Channel-Read-Codec-Rate', '8000')
    .add('Channel-Read-Codec-Bit-Rate', '64000')
    .add('Channel-Write-Codec-Name', codec)
    .add('Channel-Write-Codec-Rate', '8000')
    .add('Channel-Write-Codec-Bit-Rate', '64000');
  addProfile(ev, ch, 'Caller');
}

/** Every channel variable as `variable_*`, last (the channel's cached block, see HeaderBlock). */
export function addVariables(ev: EslEvent, ch: Channel): void {
  ev.addBlock(ch.vars.asHeaders());
}

/** A channel event as FreeSWITCH fires it; `extra` headers go between the basic data and the variables. */
export function channelEvent(ctx: ServerContext, ch: Channel, name: string, extra: Array<[string, string]> = [], subclass?: string): EslEvent {
  const ev = baseEvent(ctx.identity, name, subclass);
  addBasicData(ev, ch);
  for (const [k, v] of extra) ev.add(k, v);
  if (WITH_VARIABLES.has(name)) addVariables(ev, ch);
  return ev;
}
