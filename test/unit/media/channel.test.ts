import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChannelState, canTransition, transition } from '../../../src/media/channel/state.js';
import { fakeChannel, flush } from './fake-channel.js';

describe('channel state machine', () => {
  it('allows only ringing → active → hangup → destroyed (and ringing → hangup)', () => {
    expect(canTransition(ChannelState.Ringing, ChannelState.Active)).toBe(true);
    expect(canTransition(ChannelState.Ringing, ChannelState.Hangup)).toBe(true);
    expect(canTransition(ChannelState.Active, ChannelState.Ringing)).toBe(false);
    expect(canTransition(ChannelState.Hangup, ChannelState.Active)).toBe(false);
    expect(() => transition(ChannelState.Destroyed, ChannelState.Active)).toThrow(/MEDIA_BAD_TRANSITION/);
  });
});

describe('sendmsg queue (spec §5.3)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs apps strictly one at a time, EXECUTE then EXECUTE_COMPLETE echoing the Event-UUID, args expanded', async () => {
    const f = fakeChannel();
    f.ch.vars.set('who', 'world');
    f.ch.runner.enqueue({ app: 'playback', arg: 'silence_stream://100', eventUuid: 'u1' });
    f.ch.runner.enqueue({ app: 'set', arg: 'greeting=hello ${who}', eventUuid: 'u2' });
    await flush();
    const started = f.events.filter((e) => e.name === 'CHANNEL_EXECUTE').map((e) => e.get('Application-UUID'));
    expect(started).toEqual(['u1']);
    f.ticks(5, (ms) => vi.advanceTimersByTime(ms));
    await flush();
    f.ticks(1);
    await flush();
    const seq = f.events.filter((e) => e.name.startsWith('CHANNEL_EXECUTE') || e.name.startsWith('PLAYBACK')).map((e) => `${e.name}:${e.get('Application-UUID') ?? ''}`);
    expect(seq).toEqual(['CHANNEL_EXECUTE:u1', 'PLAYBACK_START:', 'PLAYBACK_STOP:', 'CHANNEL_EXECUTE_COMPLETE:u1', 'CHANNEL_EXECUTE:u2', 'CHANNEL_EXECUTE_COMPLETE:u2']);
    const done = f.events.find((e) => e.name === 'CHANNEL_EXECUTE_COMPLETE' && e.get('Application-UUID') === 'u1')!;
    expect(done.get('Application-Response')).toBe('FILE PLAYED');
    expect(done.get('variable_playback_ms')).toBe('100');
    expect(f.events.find((e) => e.get('Application-UUID') === 'u2')!.get('Application-Data')).toBe('greeting=hello world');
    expect(f.ch.vars.get('greeting')).toBe('hello world');
    // DTMF and CHANNEL_CALLSTATE carry no variables; EXECUTE_COMPLETE carries them all
    expect(done.get('variable_greeting')).toBeUndefined();
    expect(f.events.find((e) => e.name === 'CHANNEL_CALLSTATE')!.get('variable_who')).toBeUndefined();
  });

  it('an unknown app hangs the channel up with DESTINATION_OUT_OF_ORDER and fires no EXECUTE', async () => {
    const f = fakeChannel();
    f.ch.runner.enqueue({ app: 'speak', arg: 'x|y|z', eventUuid: 'u' });
    f.ch.runner.enqueue({ app: 'set', arg: 'a=1', eventUuid: 'v' });
    await flush();
    expect(f.names()).not.toContain('CHANNEL_EXECUTE');
    expect(f.byes).toEqual(['DESTINATION_OUT_OF_ORDER']);
    expect(f.events.find((e) => e.name === 'CHANNEL_HANGUP')!.get('Hangup-Cause')).toBe('DESTINATION_OUT_OF_ORDER');
    expect(f.ch.vars.get('a')).toBeUndefined();
  });

  it('hangup fires HANGUP, CALLSTATE HANGUP, then HANGUP_COMPLETE and DESTROY once', async () => {
    const f = fakeChannel();
    f.ch.hangup('NORMAL_CLEARING');
    f.ch.hangup('NORMAL_CLEARING');
    await flush();
    expect(f.names().slice(-4)).toEqual(['CHANNEL_HANGUP', 'CHANNEL_CALLSTATE', 'CHANNEL_HANGUP_COMPLETE', 'CHANNEL_DESTROY']);
    expect(f.events.filter((e) => e.name === 'CHANNEL_CALLSTATE').map((e) => e.get('Channel-Call-State'))).toEqual(['ACTIVE', 'HANGUP']);
    expect(f.ch.state).toBe(ChannelState.Destroyed);
    expect(f.ch.ctx.channels.size).toBe(0);
  });

  it('uuid_break stops the running playback (FILE PLAYED, Playback-Status break); `all` drops the queue', async () => {
    const f = fakeChannel();
    f.ch.runner.enqueue({ app: 'playback', arg: 'silence_stream://10000', eventUuid: 'a' });
    f.ch.runner.enqueue({ app: 'set', arg: 'x=1', eventUuid: 'b' });
    await flush();
    f.ticks(3);
    f.ch.runner.breakCurrent(true);
    await flush();
    expect(f.events.find((e) => e.name === 'PLAYBACK_STOP')!.get('Playback-Status')).toBe('break');
    expect(f.events.find((e) => e.name === 'CHANNEL_EXECUTE_COMPLETE')!.get('Application-Response')).toBe('FILE PLAYED');
    expect(f.ch.vars.get('x')).toBeUndefined();
  });
});
