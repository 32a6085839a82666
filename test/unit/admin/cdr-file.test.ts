import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonLinesFile } from '../../../src/ops/cdr/cdr-file.js';
import { toCdr } from '../../../src/ops/cdr/cdr.js';
import { CallTable } from '../../../src/app/calls/call-table.js';
import { newCallRecord } from '../../../src/app/calls/call-record.js';

const tmpFile = () => join(mkdtempSync(join(tmpdir(), 'cdr-unit-')), 'cdr.jsonl');
const fail = (err: unknown) => {
  throw err;
};

describe('JSON lines file with size rotation', () => {
  it('appends in order and reads the last N back across rotated files', async () => {
    const file = tmpFile();
    const out = new JsonLinesFile(file, 1024, 2, fail);
    for (let i = 0; i < 60; i++) out.append({ i, pad: 'x'.repeat(40) });
    await out.flush();
    expect(statSync(file).size).toBeLessThanOrEqual(1024);
    expect(existsSync(`${file}.1`)).toBe(true);
    expect(existsSync(`${file}.2`)).toBe(true);
    expect(existsSync(`${file}.3`)).toBe(false);
    const last = (await out.last(25)) as { i: number }[];
    expect(last.map((r) => r.i)).toEqual(Array.from({ length: 25 }, (_, k) => 35 + k));
    const current = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { i: number }).i);
    expect(current.at(-1)).toBe(59);
  });

  it('reads back lines longer than one read chunk and answers [] for a file not yet written', async () => {
    const file = tmpFile();
    const out = new JsonLinesFile(file, 10 * 1024 * 1024, 1, fail);
    expect(await out.last(3)).toEqual([]);
    for (let i = 0; i < 5; i++) out.append({ i, pad: 'y'.repeat(30_000) });
    expect(((await out.last(3)) as { i: number }[]).map((r) => r.i)).toEqual([2, 3, 4]);
  });
});

describe('call records', () => {
  it('a CDR names the trunks tried, ISO times, duration and hang-up side', () => {
    const r = newCallRecord('c1', '100', '19055551234', 'device');
    Object.assign(r, { tenant: 'demo', startedAt: 1000, answeredAt: 3000, endedAt: 8500, finalStatus: 200, hangupSide: 'callee' });
    r.attempts.push({ target: 'bellprimarysbc', outcome: 503 }, { target: 'bellsecondarysbc', outcome: 200 }, { target: '100_2 sip:x', outcome: 'cancelled' });
    expect(toCdr(r, new Set(['bellprimarysbc', 'bellsecondarysbc']))).toMatchObject({
      trunks: ['bellprimarysbc', 'bellsecondarysbc'],
      startedAt: '1970-01-01T00:00:01.000Z',
      answeredAt: '1970-01-01T00:00:03.000Z',
      durationSeconds: 5.5,
      hangupSide: 'callee',
    });
  });

  it('the call table holds a call from start until its record is finished', () => {
    const table = new CallTable(2);
    const a = newCallRecord('a', '100', '101', 'device');
    const b = newCallRecord('b', '100', '101', 'device');
    table.add(a);
    table.add(b);
    table.onRecord(a);
    expect(table.list().map((r) => r.callId)).toEqual(['b']);
    table.add(newCallRecord('c', '1', '2', 'device'));
    table.add(newCallRecord('d', '1', '2', 'device'));
    expect(table.list().map((r) => r.callId)).toEqual(['c', 'd']);
  });
});
