import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasReasonPhrase, knownStatuses, reasonPhrase } from '../../../src/sip/index.js';

describe('reason phrases', () => {
  it('RFC 3261 §21 defaults', () => {
    expect(reasonPhrase(100)).toBe('Trying');
    expect(reasonPhrase(404)).toBe('Not Found');
    expect(reasonPhrase(481)).toBe('Call/Transaction Does Not Exist');
    expect(reasonPhrase(487)).toBe('Request Terminated');
    expect(reasonPhrase(505)).toBe('Version Not Supported');
    expect(reasonPhrase(603)).toBe('Decline');
  });

  it("a code the table lacks gets its class's phrase; outside 100–699, Unknown", () => {
    expect(hasReasonPhrase(499)).toBe(false);
    expect(reasonPhrase(499)).toBe('Request Failed');
    expect(reasonPhrase(599)).toBe('Server Error');
    expect(reasonPhrase(699)).toBe('Global Failure');
    expect(reasonPhrase(199)).toBe('Early Dialog Terminated');
    expect(reasonPhrase(150)).toBe('Provisional');
    expect(reasonPhrase(99)).toBe('Unknown');
    expect(reasonPhrase(700)).toBe('Unknown');
  });

  it('statuses ascend and every one has a non-empty phrase', () => {
    const s = knownStatuses();
    expect([...s].sort((a, b) => a - b)).toEqual(s);
    for (const status of s) expect(reasonPhrase(status).length).toBeGreaterThan(0);
  });

  it('no other module of src keeps a status → phrase table', () => {
    const files = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : n.endsWith('.ts') ? [join(dir, n)] : []));
    const tables = files('src').filter((f) => f !== join('src', 'sip', 'reason-phrases.ts') && /\b486: 'Busy Here'|\[486, 'Busy Here'\]/.test(readFileSync(f, 'utf8')));
    expect(tables).toEqual([]);
  });
});
