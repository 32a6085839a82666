import { describe, expect, it } from 'vitest';
import { EslEvent } from '../../../src/media/esl/event.js';
import { HeaderBlock } from '../../../src/media/esl/header-block.js';
import { eventFrame } from '../../../src/media/esl/frames.js';
import { fsUrlEncode } from '../../../src/media/esl/url-encode.js';
import { jsonPairs } from '../../../src/media/esl/json-text.js';
import { Variables } from '../../../src/media/channel/variables.js';
import { Subscriptions } from '../../../src/media/esl/subscriptions.js';
import { fakeChannel } from './fake-channel.js';

/** What the event text was before the variable block: an object built header by header. */
function objectJson(headers: Array<[string, string]>, body?: string): string {
  const o: Record<string, string> = {};
  for (const [k, v] of headers) o[k] = v;
  if (body !== undefined) {
    o['Content-Length'] = String(Buffer.byteLength(body));
    o['_body'] = body;
  }
  return JSON.stringify(o);
}

function plainText(headers: Array<[string, string]>): string {
  return `${headers.map(([k, v]) => `${k}: ${fsUrlEncode(v)}\n`).join('')}\n`;
}

const awkward: Array<[string, string]> = [
  ['variable_sdp', 'v=0\r\no=FreeSWITCH 1 2 IN IP4 1.2.3.4\r\n'],
  ['variable_quote', 'say "hi" \\ there\t'],
  ['variable_utf8', 'é ✓ 😀'],
  ['variable_lone', 'a\ud800b'],
  ['variable_plain', 'PCMU'],
];

function withBlock(): EslEvent {
  const ev = new EslEvent('CHANNEL_EXECUTE').add('Event-Name', 'CHANNEL_EXECUTE').add('Unique-ID', 'abc').add('Application-Data', 'x "y"\n');
  return ev.addBlock(
    new HeaderBlock(
      awkward.map(([k]) => k),
      awkward.map(([, v]) => v),
    ),
  );
}

describe('event text with a shared variable block', () => {
  it('writes the same JSON as an object built header by header, escapes included', () => {
    const ev = withBlock();
    const all: Array<[string, string]> = [['Event-Name', 'CHANNEL_EXECUTE'], ['Unique-ID', 'abc'], ['Application-Data', 'x "y"\n'], ...awkward];
    expect(ev.toJson()).toBe(objectJson(all));
    expect(ev.headers).toEqual(all);
    expect(ev.jsonBody().bytes).toBe(Buffer.byteLength(ev.toJson()));
  });

  it('keeps a repeated header at its first place with its last value, as an object does', () => {
    const ev = new EslEvent('CHANNEL_HANGUP').add('Event-Name', 'CHANNEL_HANGUP').add('Hangup-Cause', 'A').add('X', '1').add('Hangup-Cause', 'B');
    expect(ev.toJson()).toBe(objectJson(ev.headers));
    expect(ev.toJson()).toBe('{"Event-Name":"CHANNEL_HANGUP","Hangup-Cause":"B","X":"1"}');
  });

  it('orders an array-index header name and a body as an object would', () => {
    const ev = new EslEvent('CUSTOM').add('Event-Name', 'CUSTOM').add('7', 'seven');
    expect(ev.toJson()).toBe(objectJson(ev.headers));
    expect(ev.toJson().startsWith('{"7"')).toBe(true);
    const bj = new EslEvent('BACKGROUND_JOB').add('Event-Name', 'BACKGROUND_JOB');
    bj.body = '+OK é\n';
    expect(bj.toJson()).toBe(objectJson(bj.headers, bj.body));
  });

  it('writes the same plain text, with extra headers after the variables', () => {
    const ev = withBlock();
    expect(ev.plainBody().parts.join('')).toBe(plainText(ev.headers));
    expect(
      ev.toPlain([
        ['Content-Type', 'command/reply'],
        ['Reply-Text', '+OK\n'],
      ]),
    ).toBe(`${plainText(ev.headers).slice(0, -1)}Content-Type: command/reply\nReply-Text: %2BOK%0A\n\n`);
  });

  it('frames every format with the body length in bytes', () => {
    const ev = withBlock();
    for (const fmt of ['json', 'plain', 'xml'] as const) {
      const f = eventFrame(ev, fmt);
      const [head, body] = [f.slice(0, f.indexOf('\n\n')), f.slice(f.indexOf('\n\n') + 2)];
      expect(Number(/Content-Length: (\d+)/.exec(head)![1])).toBe(Buffer.byteLength(body));
    }
  });

  it('finds block headers by name, case-insensitively', () => {
    const ev = withBlock();
    expect(ev.get('variable_plain')).toBe('PCMU');
    expect(ev.get('VARIABLE_PLAIN')).toBe('PCMU');
    expect(ev.getLower('unique-id')).toBe('abc');
    expect(ev.get('variable_none')).toBeUndefined();
  });

  it('interleaves own headers and several blocks in order; a name repeated across them is written as an object would', () => {
    const a = new HeaderBlock(['A-1', 'A-2'], ['1', '2']);
    const b = new HeaderBlock(['B-1'], ['x']);
    const ev = new EslEvent('E').add('Event-Name', 'E').addBlock(a).add('Mid', 'm').addBlock(b).add('Last', 'z');
    expect(ev.toJson()).toBe('{"Event-Name":"E","A-1":"1","A-2":"2","Mid":"m","B-1":"x","Last":"z"}');
    expect(ev.plainBody().parts.join('')).toBe(plainText(ev.headers));
    const dup = new EslEvent('E').add('Event-Name', 'E').addBlock(a).add('A-2', 'again');
    expect(dup.toJson()).toBe(objectJson(dup.headers));
    expect(dup.toJson()).toBe('{"Event-Name":"E","A-1":"1","A-2":"again"}');
    const twoBlocks = new EslEvent('E').addBlock(b).addBlock(new HeaderBlock(['B-1', 'C'], ['y', 'c']));
    expect(twoBlocks.toJson()).toBe('{"B-1":"y","C":"c"}');
    const onlyBlock = new EslEvent('E').addBlock(a);
    expect(onlyBlock.toJson()).toBe('{"A-1":"1","A-2":"2"}');
    expect(onlyBlock.jsonBody().bytes).toBe(Buffer.byteLength(onlyBlock.toJson()));
  });
});

describe('JSON pairs through the scratch buffer', () => {
  it('match JSON.stringify for every kind of character, also past the initial scratch size', () => {
    const big = `${'é✓"\\\n😀a'.repeat(4000)}\ud800`;
    const names = ['plain', 'big', 'ctl', 'empty'];
    const values = ['x', big, '\u0001\u001f\t', ''];
    const expected = names.map((n, i) => `,${JSON.stringify(n)}:${JSON.stringify(values[i])}`).join('');
    expect(jsonPairs(names, values)).toBe(expected);
    expect(jsonPairs(['a'], ['b'])).toBe(',"a":"b"');
    expect(jsonPairs([], [])).toBe('');
  });
});

describe('channel variables as event headers', () => {
  it('shares one block until a value really changes, keeping map order', () => {
    const v = new Variables();
    v.set('a', '1');
    v.set('b', '2');
    const first = v.asHeaders();
    expect(first.names).toEqual(['variable_a', 'variable_b']);
    v.set('a', '1');
    v.set('gone', undefined);
    expect(v.asHeaders()).toBe(first);
    v.set('a', '3');
    const second = v.asHeaders();
    expect(second).not.toBe(first);
    expect(second.values).toEqual(['3', '2']);
    expect(first.values).toEqual(['1', '2']);
    v.set('a', '');
    v.set('a', '4');
    expect(v.asHeaders().names).toEqual(['variable_b', 'variable_a']);
  });
});

describe('events nobody subscribed to', () => {
  it('knows from the subscription alone (before the event exists) what a listener may want', () => {
    const s = new Subscriptions();
    expect(s.wantsName('CHANNEL_EXECUTE', undefined)).toBe(false);
    s.add(['json', 'CHANNEL_EXECUTE', 'CUSTOM', 'conference::maintenance']);
    expect(s.wantsName('CHANNEL_EXECUTE', undefined)).toBe(true);
    expect(s.wantsName('DTMF', undefined)).toBe(false);
    expect(s.wantsName('CUSTOM', 'conference::maintenance')).toBe(true);
    expect(s.wantsName('CUSTOM', 'other')).toBe(false);
    expect(s.wantsName('CUSTOM', undefined)).toBe(false);
    s.add(['ALL']);
    expect(s.wantsName('DTMF', undefined)).toBe(true);
  });

  it('are not built when the sink says no listener wants them, and still use up their sequence number', () => {
    const f = fakeChannel();
    const asked: string[] = [];
    f.ch.ctx.events.wants = (name, _sub, uuid) => {
      asked.push(`${name} ${uuid === f.ch.uuid}`);
      return name !== 'DTMF';
    };
    f.ch.fire('CHANNEL_EXECUTE');
    f.ch.fire('DTMF');
    f.ch.fire('CHANNEL_EXECUTE_COMPLETE');
    expect(asked).toEqual(['CHANNEL_EXECUTE true', 'DTMF true', 'CHANNEL_EXECUTE_COMPLETE true']);
    const built = f.events.slice(-2);
    expect(built.map((e) => e.name)).toEqual(['CHANNEL_EXECUTE', 'CHANNEL_EXECUTE_COMPLETE']);
    expect(Number(built[1]!.get('Event-Sequence'))).toBe(Number(built[0]!.get('Event-Sequence')) + 2);
  });
});

describe("a channel's events", () => {
  it('write, in every format, the text of their headers one by one (as before the blocks), hang-up included', async () => {
    const f = fakeChannel();
    f.ch.vars.set('switch_r_sdp', 'v=0\r\nc=IN IP4 127.1.99.2\r\n');
    f.ch.vars.set('sip_from_user', 'alice "A"');
    f.ch.fire('CHANNEL_EXECUTE', [
      ['Application', 'playback'],
      ['Application-Data', 'x.wav'],
    ]);
    f.ch.vars.set('playback_ms', '3000');
    f.ch.fire('PLAYBACK_STOP', [['Playback-File-Path', 'x.wav']]);
    f.ch.deliverDigit('5');
    f.ch.hangup('NORMAL_CLEARING', true);
    await new Promise((r) => setTimeout(r, 10));
    const names = f.names();
    expect(names).toEqual(expect.arrayContaining(['CHANNEL_ANSWER', 'CHANNEL_EXECUTE', 'PLAYBACK_STOP', 'DTMF', 'CHANNEL_HANGUP', 'CHANNEL_HANGUP_COMPLETE', 'CHANNEL_DESTROY']));
    for (const ev of f.events) {
      expect(ev.toJson()).toBe(objectJson(ev.headers));
      expect(ev.plainBody().parts.join('')).toBe(plainText(ev.headers));
      expect(ev.jsonBody().bytes).toBe(Buffer.byteLength(ev.toJson()));
    }
    const exec = f.events.find((e) => e.name === 'CHANNEL_EXECUTE')!;
    const stop = f.events.find((e) => e.name === 'PLAYBACK_STOP')!;
    expect(exec.get('variable_playback_ms')).toBeUndefined();
    expect(stop.get('variable_playback_ms')).toBe('3000');
    expect(exec.get('Caller-Username')).toBe('alice "A"');
    const hangup = f.events.find((e) => e.name === 'CHANNEL_HANGUP')!;
    expect(hangup.headers.filter(([k]) => k === 'Hangup-Cause')).toHaveLength(2);
    expect(JSON.parse(hangup.toJson())['Hangup-Cause']).toBe('NORMAL_CLEARING');
  });
});
