import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FifoQueue } from '../../../src/lib/fifo-queue.js';

describe('FifoQueue', () => {
  it('behaves like an array used as a queue, across growth and wrap-around', () => {
    const op = fc.oneof(fc.record({ push: fc.integer() }), fc.constant('shift' as const), fc.constant('clear' as const));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), fc.integer({ min: 1, max: 8 }), (ops, initial) => {
        const q = new FifoQueue<number>(initial);
        const model: number[] = [];
        for (const o of ops) {
          if (o === 'shift') expect(q.shift()).toBe(model.shift());
          else if (o === 'clear') {
            q.clear();
            model.length = 0;
          } else {
            q.push(o.push);
            model.push(o.push);
          }
          expect(q.size).toBe(model.length);
          expect(q.peek()).toBe(model[0]);
        }
      }),
    );
  });

  it('shift and peek on an empty queue give undefined', () => {
    const q = new FifoQueue<string>();
    expect(q.peek()).toBeUndefined();
    expect(q.shift()).toBeUndefined();
    q.push('a');
    expect(q.shift()).toBe('a');
    expect(q.shift()).toBeUndefined();
  });
});
