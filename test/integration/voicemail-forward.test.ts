import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startProduct, type Product } from '../helpers/product-harness.js';
import { sleep } from '../helpers/media-calls.js';
import { mediaSettled } from '../helpers/media-harness.js';
import { readWav } from '../helpers/tone.js';
import type { CallRecord } from '../../src/app/calls/call-record.js';
import { callsConfig, clearBindings, expectEngineIdle, expectSipp, putDeviceBinding, recordCalls } from './calls-support.js';
import { sippLeavesToneMessage, toneRuns } from './voicemail-support.js';

// Voicemail as a forward target. Product 127.15.0.20, media server 127.15.0.21 (RTP 27600–27800);
// callers on 127.15.0.22 (SIPp media port 27900); 101's device "registered" at 127.15.0.23, where
// nothing listens: a call that rang it would wait the 20 s of afterSeconds before voicemail.
// 101 forwards everything to its mailbox; 102 forwards to 101 when busy (DND).
let p: Product;
let records: CallRecord[];

beforeAll(async () => {
  const configText = callsConfig({
    sbcHosts: ['127.15.0.26', '127.15.0.27'],
    extensionExtras: {
      '101': '        forward: { unconditional: { to: voicemail } }\n',
      '102': "        forward: { busy: { to: '101' } }\n",
    },
  });
  p = await startProduct({ sipHost: '127.15.0.20', configText, media: { host: '127.15.0.21', rtpStart: 27600 } });
  records = recordCalls(p);
});

afterAll(async () => {
  await p?.stop();
});

afterEach(async () => {
  await clearBindings(p, ['101', '102']);
  await p.ctx.settings.update('demo', '102', { dnd: false });
  for (const m of await p.ctx.voicemail.list('demo', '101')) await p.ctx.voicemail.remove('demo', '101', m.id);
});

async function mailbox101(): Promise<{ caller: string; file: string }[]> {
  for (let i = 0; i < 50; i++) {
    const list = await p.ctx.voicemail.list('demo', '101');
    if (list.length > 0) return list;
    await sleep(100);
  }
  return [];
}

async function recordOf(dialled: string): Promise<CallRecord> {
  for (let i = 0; i < 50 && !records.some((r) => r.dialled === dialled); i++) await sleep(100);
  const r = records.filter((x) => x.dialled === dialled).at(-1);
  if (r === undefined) throw new Error(`no call record for ${dialled}`);
  return r;
}

describe('voicemail as a forward target', () => {
  it("101 forwards unconditionally to voicemail: its registered device never rings, the caller leaves a 2 s message in 101's mailbox", async () => {
    await putDeviceBinding(p, '101', '127.15.0.23');
    const call = sippLeavesToneMessage(p, { deviceUser: '100', dialled: '101', ip: '127.15.0.22', mediaPort: 27900, toneMs: 2000 });
    expectSipp(await call.done, 1, "caller 100 answered by 101's voicemail");
    const [m] = await mailbox101();
    expect(m).toMatchObject({ caller: '100' });
    const wav = readWav(m!.file);
    expect(Math.max(...toneRuns(wav.samples, wav.rate, 1000))).toBeGreaterThan(1.7);
    const r = await recordOf('101');
    expect(r.attempts.map((a) => `${a.target}: ${a.outcome}`)).toEqual(['forward unconditional 101 → voicemail: forwarded', 'voicemail 101: 200']);
  }, 60_000);

  it("102 on DND forwards busy to 101, whose own unconditional forward takes the caller to 101's mailbox", async () => {
    await p.ctx.settings.update('demo', '102', { dnd: true });
    const call = sippLeavesToneMessage(p, { deviceUser: '100', dialled: '102', ip: '127.15.0.22', mediaPort: 27900, toneMs: 2000 });
    expectSipp(await call.done, 1, "caller 100 answered by 101's voicemail");
    expect(await mailbox101()).toHaveLength(1);
    expect(await p.ctx.voicemail.list('demo', '102')).toEqual([]);
    const r = await recordOf('102');
    expect(r.attempts.map((a) => `${a.target}: ${a.outcome}`)).toEqual(['forward busy 102 → 101: forwarded', 'forward unconditional 101 → voicemail: forwarded', 'voicemail 101: 200']);
  }, 60_000);

  it('nothing is left behind', async () => {
    await expectEngineIdle(p);
    expect(await mediaSettled(p.media!)).toMatchObject({ channels: 0, rtpPorts: 0 });
  });
});
