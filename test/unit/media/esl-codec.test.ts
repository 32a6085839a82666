import { describe, expect, it } from 'vitest';
import { fsUrlEncode } from '../../../src/media/esl/url-encode.js';
import { CommandReader } from '../../../src/media/esl/command-reader.js';
import { Subscriptions } from '../../../src/media/esl/subscriptions.js';
import { EslEvent } from '../../../src/media/esl/event.js';
import { eventFrame } from '../../../src/media/esl/frames.js';

describe('FreeSWITCH url encoding (spec §2.4)', () => {
  it('encodes reserved and control bytes upper-case, keeps %XX, writes _undef_ for empty', () => {
    expect(fsUrlEncode('+OK\n')).toBe('%2BOK%0A');
    expect(fsUrlEncode('drachtio-fsmrf:0b8a')).toBe('drachtio-fsmrf%3A0b8a');
    expect(fsUrlEncode('a b&c')).toBe('a%20b%26c');
    expect(fsUrlEncode('50%2B')).toBe('50%2B');
    expect(fsUrlEncode('50%')).toBe('50%25');
    expect(fsUrlEncode('é')).toBe('%C3%A9');
    expect(fsUrlEncode('')).toBe('_undef_');
  });

  it('round-trips through decodeURIComponent (what modesl applies)', () => {
    const v = 'v=0\r\no=FreeSWITCH 1 2 IN IP4 1.2.3.4\r\na=rtpmap:0 PCMU/8000\r\n';
    expect(decodeURIComponent(fsUrlEncode(v))).toBe(v);
  });
});

describe('command reader (spec §2.1)', () => {
  it('splits commands at LF LF, ignores CR and leading blank lines, reads headers and bodies', () => {
    const r = new CommandReader();
    expect(r.push(Buffer.from('\n\nauth Clue'))).toEqual([]);
    const cmds = r.push(Buffer.from('Con\r\n\r\nsendmsg abc\nexecute-app-name: playback\nexecute-app-arg:  x y\n\napi x\nContent-Length: 3\n\nab')).concat(r.push(Buffer.from('cexit\n\n')));
    expect(cmds.map((c) => c.line)).toEqual(['auth ClueCon', 'sendmsg abc', 'api x', 'exit']);
    expect(cmds[1]!.headers).toEqual([
      ['execute-app-name', 'playback'],
      ['execute-app-arg', 'x y'],
    ]);
    expect(cmds[2]!.body).toBe('abc');
  });

  it('throws MEDIA_ESL_FRAME when a header block never ends', () => {
    const r = new CommandReader();
    expect(() => r.push(Buffer.alloc(70_000, 0x41))).toThrow(/MEDIA_ESL_FRAME/);
  });
});

function ev(name: string, headers: Array<[string, string]> = []): EslEvent {
  const e = new EslEvent(name).add('Event-Name', name);
  for (const [k, v] of headers) e.add(k, v);
  return e;
}

describe('subscriptions and filters (spec §2.6)', () => {
  it('strips SWITCH_EVENT_, is case-insensitive and cumulative; tokens after CUSTOM are subclasses', () => {
    const s = new Subscriptions();
    expect(s.add(['json', 'CHANNEL_EXECUTE', 'switch_event_PLAYBACK_START', 'CUSTOM', 'conference::maintenance', 'BACKGROUND_JOB'])).toBe(true);
    expect(s.format).toBe('json');
    expect(s.wants(ev('CHANNEL_EXECUTE'))).toBe(true);
    expect(s.wants(ev('PLAYBACK_START'))).toBe(true);
    expect(s.wants(ev('BACKGROUND_JOB'))).toBe(false);
    expect(s.wants(ev('CUSTOM', [['Event-Subclass', 'conference::maintenance']]))).toBe(true);
    expect(s.wants(ev('CUSTOM', [['Event-Subclass', 'BACKGROUND_JOB']]))).toBe(true);
    expect(s.wants(ev('CUSTOM', [['Event-Subclass', 'other']]))).toBe(false);
    s.add(['json', 'DTMF']);
    expect(s.wants(ev('CHANNEL_EXECUTE'))).toBe(true);
    expect(s.wants(ev('DTMF'))).toBe(true);
    expect(s.add(['json'])).toBe(false);
  });

  it('filters are OR-ed, case-insensitive, support regex and exclusion', () => {
    const s = new Subscriptions();
    s.add(['ALL']);
    s.addFilter('Unique-ID', 'ABC');
    s.addFilter('Unique-ID', 'def');
    expect(s.wants(ev('DTMF', [['Unique-ID', 'abc']]))).toBe(true);
    expect(s.wants(ev('DTMF', [['Unique-ID', 'DEF']]))).toBe(true);
    expect(s.wants(ev('DTMF', [['Unique-ID', 'x']]))).toBe(false);
    expect(s.wants(ev('HEARTBEAT'))).toBe(false);
    s.deleteFilter('all');
    s.addFilter('Event-Name', '/^CHANNEL_/');
    expect(s.wants(ev('CHANNEL_ANSWER'))).toBe(true);
    expect(s.wants(ev('DTMF'))).toBe(false);
    s.deleteFilter('all');
    s.addFilter('Event-Name', '-DTMF');
    expect(s.wants(ev('DTMF'))).toBe(false);
    expect(s.wants(ev('CHANNEL_ANSWER'))).toBe(true);
  });

  it('is pinned to a channel only while its include filters admit no other Unique-ID', () => {
    const s = new Subscriptions();
    s.add(['ALL']);
    expect(s.pinnedTo).toBeUndefined();
    s.addFilter('Unique-ID', 'ABC');
    expect(s.pinnedTo).toBe('abc');
    s.addFilter('Event-Name', '-DTMF');
    expect(s.pinnedTo).toBe('abc');
    s.addFilter('Event-Name', 'HEARTBEAT');
    expect(s.pinnedTo).toBeUndefined();
    s.deleteFilter('Event-Name', 'HEARTBEAT');
    expect(s.pinnedTo).toBe('abc');
    s.addFilter('unique-id', '/^a/');
    expect(s.pinnedTo).toBeUndefined();
    s.deleteFilter('all');
    expect(s.pinnedTo).toBeUndefined();
  });
});

describe('event frames (spec §2.5)', () => {
  it('json: Content-Length first, body as Content-Length + _body', () => {
    const e = ev('BACKGROUND_JOB', [['Job-UUID', 'j']]);
    e.body = '+OK é\n';
    const f = eventFrame(e, 'json');
    const [head, body] = f.split('\n\n') as [string, string];
    expect(head).toBe(`Content-Length: ${Buffer.byteLength(body)}\nContent-Type: text/event-json`);
    expect(JSON.parse(body)).toEqual({ 'Event-Name': 'BACKGROUND_JOB', 'Job-UUID': 'j', 'Content-Length': String(Buffer.byteLength('+OK é\n')), _body: '+OK é\n' });
  });

  it('plain: url-encoded values, then the body after its own Content-Length', () => {
    expect(ev('X', [['A', 'b c']]).toPlain()).toBe('Event-Name: X\nA: b%20c\n\n');
  });
});
