import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProduct, type Product } from '../helpers/product-harness.js';
import { placeCall, until, type TestCall } from '../helpers/media-calls.js';
import { mediaSettled } from '../helpers/media-harness.js';
import { callsConfig, expectEngineIdle, expectSipp } from './calls-support.js';

// Several media servers behind the application's media port (issue: "several servers, reconnect
// with back-off, health"). Product 127.0.0.185, media servers 127.0.0.186 (RTP 22700–22900) and
// 127.0.0.187 (RTP 22950–23150), carrier SBCs 127.0.0.188/.189 (callers come from the primary,
// SIPp on 5064/5065, RTP peers 24100–24160, SIPp media ports 1000 above).
const SBC = '127.0.0.188';
const MAIN = '4165550100';
let p: Product;

beforeAll(async () => {
  p = await startProduct({
    sipHost: '127.0.0.185',
    configText: callsConfig({ sbcHosts: [SBC, '127.0.0.189'] }),
    media: [
      { host: '127.0.0.186', rtpStart: 22700 },
      { host: '127.0.0.187', rtpStart: 22950 },
    ],
  });
});

afterAll(async () => {
  await p?.stop();
});

async function callMainLine(sippPort: number, rtpPort: number): Promise<TestCall> {
  const call = await placeCall(SBC, sippPort, rtpPort, '0 8', p.target, MAIN);
  call.peer.latch = true;
  return call;
}

async function hangUpWithZero(call: TestCall): Promise<void> {
  try {
    await call.peer.sendDigits('0');
    expectSipp(await call.sipp, 1, 'caller hung up by the IVR after 0');
  } finally {
    call.peer.close();
  }
}

describe('media port with two media servers', () => {
  it('two calls at once are spread over both servers, each caller hears its menu', async () => {
    const [a, b] = [await callMainLine(5064, 24100), await callMainLine(5065, 24120)];
    await until('both callers hear the menu', () => a.peer.received.length >= 20 && b.peer.received.length >= 20);
    expect(p.mediaServers.map((m) => m.gauges().channels)).toEqual([1, 1]);
    await Promise.all([hangUpWithZero(a), hangUpWithZero(b)]);
    await expectEngineIdle(p);
    for (const m of p.mediaServers) expect(await mediaSettled(m)).toMatchObject({ channels: 0, rtpPorts: 0 });
  });

  it('with one server stopped, its loss shows in the port health and every new call goes to the other', async () => {
    await p.mediaServers[0]!.stop();
    await until('the port to see the first server gone', () => p.mediaPort!.health().servers[0]!.connected === false);
    expect(p.mediaPort!.health().servers.map((s) => s.connected)).toEqual([false, true]);
    for (const [sippPort, rtp] of [
      [5064, 24140],
      [5065, 24160],
    ] as const) {
      const call = await callMainLine(sippPort, rtp);
      await until('the caller hears the menu', () => call.peer.received.length >= 20);
      expect(p.mediaServers[1]!.gauges().channels).toBe(1);
      await hangUpWithZero(call);
      await until('the channel to end', () => p.mediaServers[1]!.gauges().channels === 0);
    }
    await expectEngineIdle(p);
    expect(await mediaSettled(p.mediaServers[1]!)).toMatchObject({ channels: 0, rtpPorts: 0 });
  });
});
