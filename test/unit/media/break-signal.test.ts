import { describe, expect, it } from 'vitest';
import { BreakSignal } from '../../../src/media/channel/break-signal.js';

describe('BreakSignal (what stops a running app)', () => {
  it('before abort: listeners wait; a removed one is not called', () => {
    const s = new BreakSignal();
    const calls: string[] = [];
    const a = (): void => void calls.push('a');
    const b = (): void => void calls.push('b');
    s.addEventListener('abort', a);
    s.addEventListener('abort', b);
    s.removeEventListener('abort', a);
    expect(s.aborted).toBe(false);
    expect(calls).toEqual([]);
    s.abort();
    expect(s.aborted).toBe(true);
    expect(calls).toEqual(['b']);
  });

  it('abort calls every listener once, in order; a second abort calls none', () => {
    const s = new BreakSignal();
    const calls: number[] = [];
    for (let i = 0; i < 3; i++) s.addEventListener('abort', () => calls.push(i));
    s.abort();
    s.abort();
    expect(calls).toEqual([0, 1, 2]);
  });

  it('after abort: a listener added is never called (as with AbortSignal: check `aborted`)', () => {
    const s = new BreakSignal();
    s.abort();
    let called = false;
    s.addEventListener('abort', () => (called = true));
    s.abort();
    expect(called).toBe(false);
    expect(s.aborted).toBe(true);
  });

  it('a listener removed by another during the abort is not called (as EventTarget)', () => {
    const s = new BreakSignal();
    const calls: string[] = [];
    const second = (): void => void calls.push('second');
    s.addEventListener('abort', () => {
      calls.push('first');
      s.removeEventListener('abort', second);
    });
    s.addEventListener('abort', second);
    s.abort();
    expect(calls).toEqual(['first']);
  });
});
