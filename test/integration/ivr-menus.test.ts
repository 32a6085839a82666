import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProduct, type Product } from '../helpers/product-harness.js';
import { placeCall, sleep, until, type TestCall } from '../helpers/media-calls.js';
import { runSipp } from '../helpers/sipp.js';
import { mediaSettled } from '../helpers/media-harness.js';
import { callsConfig, clearBindings, expectEngineIdle, expectSipp, putDeviceBinding, recordCalls } from './calls-support.js';
import type { CallRecord } from '../../src/app/calls/call-record.js';
import { MAX_MENU_VISITS } from '../../src/app/media/ivr-call.js';

// Multi-level menus (DOMAIN §8, [003]): the demo attendant gets option 9 → a `support` sub-menu
// whose 1 rings 101 and whose * goes back to the attendant. Product 127.0.0.230, media server
// 127.0.0.231 (RTP 23000–23200), carrier SBCs 127.0.0.232/.233 (callers from the primary, SIPp
// on 5063), 101's device 127.0.0.234.
const SBC = '127.0.0.232';
const MAIN = '4165550100';
let p: Product;
let records: CallRecord[];

const SUPPORT = `      support:
        number: '801'
        kind: ivr
        menu:
          prompts: [main-menu]
          options:
            '1': { extension: '101' }
            '*': { menu: attendant }
          tries: 1
          timeoutSeconds: 2
`;

beforeAll(async () => {
  const base = callsConfig({ sbcHosts: [SBC, '127.0.0.233'] });
  const config = base
    .replace("            '0': { hangup: goodbye }\n", "            '0': { hangup: goodbye }\n            '9': { menu: support }\n")
    .replace('    timeSets:\n', `${SUPPORT}    timeSets:\n`)
    .replace('          tries: 3\n', '          tries: 1\n          timeoutSeconds: 2\n');
  expect(config).toContain("'9': { menu: support }");
  p = await startProduct({ sipHost: '127.0.0.230', configText: config, media: { host: '127.0.0.231', rtpStart: 23000 } });
  records = recordCalls(p);
});

afterAll(async () => {
  await p?.stop();
});

async function callMain(rtpPort: number): Promise<TestCall> {
  const call = await placeCall(SBC, 5063, rtpPort, '0 8', p.target, MAIN);
  call.peer.latch = true;
  return call;
}

describe('IVR sub-menus', () => {
  it('9 opens the support sub-menu, whose 1 rings 101: the caller is bridged to its device', async () => {
    records.length = 0;
    await putDeviceBinding(p, '101', '127.0.0.234');
    const callee = runSipp({ scenario: 'calls/device-answer-then-hang-up-after-3s.xml', ip: '127.0.0.234', port: 5060, calls: 1, timeoutSec: 20, extra: ['-mp', '24300', '-rtp_echo'] });
    const call = await callMain(24200);
    try {
      await until('the menu prompt', () => call.peer.received.length >= 10);
      await call.peer.sendDigits('9');
      await sleep(600);
      await call.peer.sendDigits('1');
      expectSipp(await callee.done, 1, 'device 101 answered then hung up');
      expectSipp(await call.sipp, 1, 'caller got the BYE');
    } finally {
      call.peer.close();
      callee.kill();
    }
    await until('the call record', () => records.some((x) => x.endedAt !== undefined));
    expect(records[0]!.ivr).toEqual(['attendant: 9 → menu support', 'support: 1 → extension 101']);
    await clearBindings(p, ['101']);
    await expectEngineIdle(p);
    expect(await mediaSettled(p.media!)).toMatchObject({ channels: 0, rtpPorts: 0 });
  });

  it(`menus that lead to each other are guarded: after ${MAX_MENU_VISITS} menu visits the IVR hangs up`, async () => {
    records.length = 0;
    const call = await callMain(24210);
    try {
      await until('the menu prompt', () => call.peer.received.length >= 10);
      // 9 (attendant → support), * (support → attendant), ... until the guard ends the call
      for (let i = 0; i < MAX_MENU_VISITS + 4 && records.every((x) => x.endedAt === undefined); i++) {
        await call.peer.sendDigits(i % 2 === 0 ? '9' : '*');
        await sleep(500);
      }
      expectSipp(await call.sipp, 1, 'caller hung up by the IVR');
    } finally {
      call.peer.close();
    }
    await until('the call record', () => records.some((x) => x.endedAt !== undefined));
    const steps = records[0]!.ivr!;
    expect(steps).toHaveLength(MAX_MENU_VISITS);
    expect(steps[0]).toBe('attendant: 9 → menu support');
    expect(steps[1]).toBe('support: * → menu attendant');
    await expectEngineIdle(p);
    expect(await mediaSettled(p.media!)).toMatchObject({ channels: 0, rtpPorts: 0 });
  });
});
