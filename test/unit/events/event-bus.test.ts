import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../src/app/events/event-bus.js';
import { AppEvents, type AppEvent } from '../../../src/app/events/app-events.js';

type E = { type: 'a'; n: number } | { type: 'b' };

describe('EventBus', () => {
  it('is not listening until somebody subscribes, and stops when the last one leaves', () => {
    const bus = new EventBus<E>();
    expect(bus.listening).toBe(false);
    const off1 = bus.subscribe(() => undefined);
    const off2 = bus.subscribe(() => undefined);
    expect([bus.listening, bus.listenerCount]).toEqual([true, 2]);
    off1();
    off1(); // idempotent: does not remove the other subscription
    expect(bus.listenerCount).toBe(1);
    off2();
    expect(bus.listening).toBe(false);
  });

  it('delivers each event to every listener, in subscription order, synchronously', () => {
    const bus = new EventBus<E>();
    const seen: string[] = [];
    bus.subscribe((e) => seen.push(`1:${e.type}`));
    bus.subscribe((e) => seen.push(`2:${e.type}`));
    bus.emit({ type: 'a', n: 1 });
    bus.emit({ type: 'b' });
    expect(seen).toEqual(['1:a', '2:a', '1:b', '2:b']);
  });

  it('one function subscribed twice gets the event twice, and each subscription leaves on its own', () => {
    const bus = new EventBus<E>();
    let n = 0;
    const l = (): void => void n++;
    const off = bus.subscribe(l);
    bus.subscribe(l);
    bus.emit({ type: 'b' });
    off();
    bus.emit({ type: 'b' });
    expect(n).toBe(3);
  });

  it('a listener that throws disturbs neither the emitter nor the other listeners', () => {
    const bus = new EventBus<E>();
    const seen: number[] = [];
    bus.subscribe(() => {
      throw new Error('broken listener');
    });
    bus.subscribe((e) => e.type === 'a' && seen.push(e.n));
    expect(() => bus.emit({ type: 'a', n: 7 })).not.toThrow();
    expect(seen).toEqual([7]);
  });

  it('a listener may unsubscribe itself while an event is delivered', () => {
    const bus = new EventBus<E>();
    const seen: string[] = [];
    const off = bus.subscribe(() => {
      seen.push('once');
      off();
    });
    bus.subscribe(() => seen.push('always'));
    bus.emit({ type: 'b' });
    bus.emit({ type: 'b' });
    expect(seen).toEqual(['once', 'always', 'always']);
  });

  it('AppEvents carries the typed app events', () => {
    const bus = new AppEvents();
    const got: AppEvent[] = [];
    bus.subscribe((e) => got.push(e));
    bus.emit({ type: 'ban.lifted', address: '192.0.2.1' });
    expect(got).toEqual([{ type: 'ban.lifted', address: '192.0.2.1' }]);
  });
});
