import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediaSettled, startMediaHarness, type MediaHarness } from '../helpers/media-harness.js';

const IP = '127.1.12.1';
let h: MediaHarness;

beforeAll(async () => {
  h = await startMediaHarness(IP, { rtpStart: 31000 });
});
afterAll(async () => {
  await h?.stop();
});

describe('unmodified fsmrf on the embedded media server', () => {
  it('connects: sofia status gives the SIP address', () => {
    expect(h.ms.sip.ipv4.udp.address).toBe(`${IP}:5080`);
    expect(h.ms.hasCapability(['ipv4', 'dtls'])).toBe(false);
  });

  it('creates a 3pcc endpoint, plays silence with FS counters, destroys it', async () => {
    const ep = await h.ms.createEndpoint();
    expect(ep.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(ep.local.sdp).toContain('m=audio');
    expect(ep.local.sdp).toContain('PCMU/8000');
    expect(ep.dtmfType).toBe('rfc2833');
    const r = await ep.play('silence_stream://200');
    expect(r).toEqual({ playbackSeconds: '0', playbackMilliseconds: '200', playbackLastOffsetPos: '1600' });
    expect(h.media.gauges().channels).toBe(1);
    await ep.destroy();
    expect(await mediaSettled(h.media)).toMatchObject({ channels: 0, outboundSockets: 0, rtpPorts: 0, openRecordings: 0 });
  });

  it('api commands on the inbound connection answer like FreeSWITCH', async () => {
    expect(await h.ms.api('status')).toMatch(/^UP 0 years/);
    expect(await h.ms.api('no_such_thing')).toBe('-ERR no_such_thing Command not found!\n');
  });
});
