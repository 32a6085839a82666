import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { CallTable } from '../../../src/app/calls/call-table.js';
import { finishCallRecord, newCallRecord } from '../../../src/app/calls/call-record.js';
import { AppEvents, type AppEvent } from '../../../src/app/events/app-events.js';

const log = pino({ level: 'silent' });

describe('CallTable events', () => {
  it('a call that is answered and ends: started, answered, ended with the same call and its state', () => {
    const events = new AppEvents();
    const seen: AppEvent[] = [];
    events.subscribe((e) => seen.push(e));
    const table = new CallTable(100, events);
    const r = newCallRecord('c1', '101', '100', 'device');
    r.tenant = 'demo';
    table.add(r);
    r.answeredAt = Date.now();
    table.answered(r, () => undefined);
    r.hangupSide = 'callee';
    finishCallRecord(log, r, [table.onRecord], 200);
    expect(seen.map((e) => ('call' in e ? `${e.type}:${e.call.callId}:${e.call.state}` : e.type))).toEqual(['call.started:c1:setup', 'call.answered:c1:answered', 'call.ended:c1:ended']);
    expect(seen[2]).toMatchObject({ call: { tenant: 'demo', caller: '101', dialled: '100', finalStatus: 200, hangupSide: 'callee', endedAt: expect.any(String) } });
    expect(table.list()).toEqual([]);
  });

  it('a refused call: started then ended, never answered; a record the table does not hold emits nothing', () => {
    const events = new AppEvents();
    const seen: string[] = [];
    events.subscribe((e) => seen.push(e.type));
    const table = new CallTable(100, events);
    const r = newCallRecord('c2', '101', '999', 'device');
    table.add(r);
    finishCallRecord(log, r, [table.onRecord], 404);
    const stranger = newCallRecord('c3', '101', '100', 'device');
    table.answered(stranger, () => undefined);
    finishCallRecord(log, stranger, [table.onRecord], 200);
    expect(seen).toEqual(['call.started', 'call.ended']);
  });
});
