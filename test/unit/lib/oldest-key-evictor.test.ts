import { describe, expect, it } from 'vitest';
import { OldestKeyEvictor } from '../../../src/lib/oldest-key-evictor.js';

describe('OldestKeyEvictor', () => {
  it('deletes the oldest keys first; a key deleted and set again counts as young', () => {
    const m = new Map<string, number>([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
    const ev = new OldestKeyEvictor(m);
    m.delete('a');
    m.set('a', 1);
    m.set('d', 4);
    ev.trimTo(3);
    expect([...m.keys()]).toEqual(['c', 'a', 'd']);
    m.set('e', 5);
    m.delete('a');
    m.set('a', 1);
    ev.trimTo(2);
    expect([...m.keys()]).toEqual(['e', 'a']);
  });

  it('keeps working after the map was emptied and refilled', () => {
    const m = new Map<number, number>();
    const ev = new OldestKeyEvictor(m);
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 10; i++) m.set(round * 100 + i, i);
      ev.trimTo(4);
      expect([...m.keys()]).toEqual([6, 7, 8, 9].map((i) => round * 100 + i));
      m.clear();
    }
  });

  it('does nothing while the map is within its size', () => {
    const m = new Map([
      [1, 1],
      [2, 2],
    ]);
    new OldestKeyEvictor(m).trimTo(2);
    expect(m.size).toBe(2);
  });
});
