import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { newCallRecord } from '../../../src/app/calls/call-record.js';
import { toCdr, type Cdr } from '../../../src/ops/cdr/cdr.js';
import { CdrMemorySink } from '../../../src/ops/cdr/memory-sink.js';
import { FailureBurst } from '../../../src/ops/cdr/failure-burst.js';

const cdr = (callId: string): Cdr => ({ callId, direction: 'device', caller: '100', dialled: '101', attempts: [], trunks: [], startedAt: '1970-01-01T00:00:00.000Z', durationSeconds: 0 });

describe('CDR fields', () => {
  it("a device's call names the device, action, recording and instance; a carrier call has no device", () => {
    const r = newCallRecord('c1', '100_2', '911', 'device');
    Object.assign(r, {
      tenant: 'demo',
      action: 'emergency',
      rule: 'emergency: 911',
      endedAt: r.startedAt + 10,
      recording: { file: '/rec/a.wav', reason: 'emergency line', seconds: 3.2 },
      ivr: ['attendant: 2 → extension 102'],
    });
    expect(toCdr(r, new Set(), Date.now(), 'host/127.0.0.1:5060')).toMatchObject({
      device: '100_2',
      caller: '100_2',
      action: 'emergency',
      rule: 'emergency: 911',
      recording: { file: '/rec/a.wav', reason: 'emergency line', seconds: 3.2 },
      ivr: ['attendant: 2 → extension 102'],
      instance: 'host/127.0.0.1:5060',
    });
    const carrier = toCdr(newCallRecord('c2', '<sip:4165551234@carrier>', '4165550100', 'carrier'), new Set());
    expect(carrier.device).toBeUndefined();
    expect(carrier.instance).toBeUndefined();
  });
});

describe('memory sink', () => {
  it('keeps the last N records, newest first', async () => {
    const m = new CdrMemorySink(3);
    for (const id of ['a', 'b', 'c', 'd']) m.write(cdr(id));
    expect((await m.recent(10)).map((c) => c.callId)).toEqual(['d', 'c', 'b']);
    expect((await m.recent(2)).map((c) => c.callId)).toEqual(['d', 'c']);
    const off = new CdrMemorySink(0);
    off.write(cdr('x'));
    expect(await off.recent(5)).toEqual([]);
  });
});

describe('failure burst', () => {
  it('logs the first failure of a run and the recovery, once each', () => {
    const lines: { msg: string; failures?: number }[] = [];
    const burst = new FailureBurst(pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s) as { msg: string }) }), 'records to X');
    burst.succeeded();
    for (let i = 0; i < 5; i++) burst.failed(new Error('down'));
    expect(burst.failing).toBe(true);
    burst.succeeded();
    burst.succeeded();
    burst.failed('again');
    expect(lines.map((l) => l.msg)).toEqual(['records to X failing (logged once until it recovers)', 'records to X working again', 'records to X failing (logged once until it recovers)']);
    expect(lines[1]!.failures).toBe(5);
  });
});
