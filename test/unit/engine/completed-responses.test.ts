import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CompletedResponses } from '../../../src/engine/transaction/completed-responses.js';
import type { Hop, Sender } from '../../../src/engine/transaction/types.js';

const hop: Hop = { transport: 'udp', address: '127.0.0.1', port: 5070 };

function recordingSender(): Sender & { sent: string[] } {
  const sent: string[] = [];
  return { sent, send: (_hop, buf) => void sent.push(buf.toString('latin1')) };
}

describe('completed non-INVITE server transactions (RFC 3261 §17.2.2, Timer J)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('a retransmitted request gets the same final response bytes again, also non-ASCII ones', () => {
    const sender = recordingSender();
    const c = new CompletedResponses(32_000, sender);
    const response = Buffer.from('SIP/2.0 200 OK\r\nSubject: Grüße ☎\r\n\r\n', 'utf8');
    c.add('k1', response, hop);
    expect(c.absorb('k1')).toBe(true);
    expect(Buffer.from(sender.sent[0]!, 'latin1').equals(response)).toBe(true);
    expect(c.absorb('other')).toBe(false);
  });

  it('responses spread over several arena chunks each come back byte for byte', () => {
    const sender = recordingSender();
    const c = new CompletedResponses(32_000, sender);
    const body = (i: number): Buffer => Buffer.from(`SIP/2.0 200 OK\r\nCSeq: ${i} REGISTER\r\n${'x'.repeat(480)}\r\n\r\n`, 'latin1');
    for (let i = 0; i < 3000; i++) c.add(`k${i}`, body(i), hop); // ~1.5 MB: more than one chunk
    for (const i of [0, 1, 2047, 2999]) {
      expect(c.absorb(`k${i}`)).toBe(true);
      expect(sender.sent.at(-1)).toBe(body(i).toString('latin1'));
    }
  });

  it('entries expire after the hold time, oldest first, and the count returns to zero', () => {
    const c = new CompletedResponses(1000, recordingSender());
    c.add('a', Buffer.from('A'), hop);
    vi.advanceTimersByTime(400);
    c.add('b', Buffer.from('B'), hop);
    vi.advanceTimersByTime(601);
    expect(c.has('a')).toBe(false);
    expect(c.has('b')).toBe(true);
    vi.advanceTimersByTime(400);
    expect(c.size).toBe(0);
  });

  it('adding a key again restarts its hold time', () => {
    const c = new CompletedResponses(1000, recordingSender());
    c.add('a', Buffer.from('A1'), hop);
    c.add('b', Buffer.from('B'), hop);
    vi.advanceTimersByTime(900);
    c.add('a', Buffer.from('A2'), hop);
    vi.advanceTimersByTime(200);
    expect([c.has('a'), c.has('b')]).toEqual([true, false]);
  });

  it('clear() drops everything and its timer', () => {
    const c = new CompletedResponses(1000, recordingSender());
    c.add('a', Buffer.from('A'), hop);
    c.clear();
    expect(c.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});
