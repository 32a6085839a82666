import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { startMediaServer, type MediaServer } from '../../src/media/media-server.js';
import { RawEsl } from '../helpers/esl-client.js';

// The inbound event socket byte for byte (spec §2, §3, §9), from a raw TCP client.
const IP = '127.1.12.4';
let media: MediaServer;

beforeAll(async () => {
  media = await startMediaServer({ eslAddress: IP, eslPort: 0, sipAddress: IP, sipPort: 5080, rtpRangeStart: 34000, rtpRangeEnd: 34100, logger: pino({ level: 'silent' }), heartbeatMs: 300 });
});
afterAll(async () => {
  await media?.stop();
});

async function authed(): Promise<RawEsl> {
  const c = await RawEsl.open(IP, media.esl.port);
  expect((await c.frame()).headers['Content-Type']).toBe('auth/request');
  c.send('auth ClueCon\n\n');
  expect((await c.frame()).headers['Reply-Text']).toBe('+OK accepted');
  return c;
}

describe('inbound event socket', () => {
  it('refuses commands before auth, then accepts the password', async () => {
    const c = await RawEsl.open(IP, media.esl.port);
    await c.frame();
    c.send('api status\n\n');
    expect((await c.frame()).headers['Reply-Text']).toBe('-ERR command not found');
    c.send('auth ClueCon\n\n');
    expect((await c.frame()).headers['Reply-Text']).toBe('+OK accepted');
    c.close();
  });

  it('a wrong password gets -ERR invalid, a disconnect notice and the close', async () => {
    const c = await RawEsl.open(IP, media.esl.port);
    await c.frame();
    c.send('auth nope\n\n');
    expect((await c.frame()).headers['Reply-Text']).toBe('-ERR invalid');
    expect((await c.frame()).headers['Content-Type']).toBe('text/disconnect-notice');
    expect(await c.closedWithin(1000)).toBe(true);
  });

  it('answers every command once, in order (event, filter, api, unknown, exit)', async () => {
    const c = await authed();
    c.send('event json SWITCH_EVENT_HEARTBEAT\n\nfilter Unique-ID abc\n\napi sofia status\n\nfrobnicate\n\n\n\nevent\n\nexit\n\n');
    expect((await c.frame()).headers['Reply-Text']).toBe('+OK event listener enabled json');
    expect((await c.frame()).headers['Reply-Text']).toBe('+OK filter added. [Unique-ID]=[abc]');
    const api = await c.frame();
    expect(api.headers['Content-Type']).toBe('api/response');
    expect(api.body).toMatch(new RegExp(`^\\s*drachtio_mrf\\s.*sip:mod_sofia@${IP.replace(/\./g, '\\.')}:5080\\tRUNNING \\(0\\)$`, 'm'));
    expect((await c.frame()).headers['Reply-Text']).toBe('-ERR command not found');
    expect((await c.frame()).headers['Reply-Text']).toBe('-ERR no keywords supplied');
    expect((await c.frame()).headers['Reply-Text']).toBe('+OK bye');
    expect((await c.frame()).headers['Content-Type']).toBe('text/disconnect-notice');
    expect(await c.closedWithin(1000)).toBe(true);
  });

  it('HEARTBEAT events arrive as text/event-json once subscribed; a filter that never matches silences them', async () => {
    const c = await authed();
    c.send('event json HEARTBEAT\n\n');
    await c.frame();
    const ev = await c.frame(1500);
    expect(ev.headers['Content-Type']).toBe('text/event-json');
    const body = JSON.parse(ev.body) as Record<string, string>;
    expect(body['Event-Name']).toBe('HEARTBEAT');
    expect(body['Session-Count']).toBe('0');
    c.send('filter Unique-ID nobody\n\n');
    // events already queued may precede the reply
    let f = await c.frame();
    while (f.headers['Content-Type'] !== 'command/reply') f = await c.frame();
    await expect(c.frame(700)).rejects.toThrow('timeout');
    c.close();
  });

  it('bgapi answers +OK Job-UUID at once and the output comes as a BACKGROUND_JOB event', async () => {
    const c = await authed();
    c.send('event plain BACKGROUND_JOB\n\nbgapi version\nJob-UUID: job-1\n\n');
    expect((await c.frame()).headers['Reply-Text']).toBe('+OK event listener enabled plain');
    const reply = await c.frame();
    expect(reply.headers['Reply-Text']).toBe('+OK Job-UUID: job-1');
    expect(reply.headers['Job-UUID']).toBe('job-1');
    const ev = await c.frame();
    expect(ev.headers['Content-Type']).toBe('text/event-plain');
    expect(ev.body).toContain('Event-Name: BACKGROUND_JOB\n');
    expect(ev.body).toContain('Job-UUID: job-1\n');
    expect(ev.body).toMatch(/\n\nFreeSWITCH Version/);
    c.close();
  });

  it('uuid_* commands on unknown channels answer like FreeSWITCH', async () => {
    const c = await authed();
    c.send('api uuid_kill 123\n\napi uuid_bridge a b\n\nsendmsg 123\ncall-command: execute\n\n');
    expect((await c.frame()).body).toBe('-ERR No such channel!\n');
    expect((await c.frame()).body).toBe('-ERR Invalid uuid\n');
    expect((await c.frame()).headers['Reply-Text']).toBe('-ERR invalid session id [123]');
    c.close();
  });

  it('a malformed frame (headers that never end) closes that connection only', async () => {
    const bad = await authed();
    bad.send(`x: ${'y'.repeat(70_000)}`);
    expect(await bad.closedWithin(2000)).toBe(true);
    const good = await authed();
    good.send('api status\n\n');
    expect((await good.frame()).body).toMatch(/^UP /);
    good.close();
  });
});
