import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { AppEvents } from '../../../src/app/events/app-events.js';
import { SseHub } from '../../../src/ops/admin/sse-hub.js';

/** A real Writable: `reading` clients take every chunk at once, stalled ones never finish a write. */
function client(reading: boolean): Writable & { text: string } {
  const w = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _enc, done) {
      w.text += chunk.toString();
      if (reading) done();
    },
  }) as Writable & { text: string };
  w.text = '';
  return w;
}

const options = { maxBufferedBytes: 4096, maxClients: 2, heartbeatMs: 0 };
const lift = (address: string) => ({ type: 'ban.lifted' as const, address });

describe('SseHub', () => {
  it('listens to the bus only while a client is connected', () => {
    const events = new AppEvents();
    const hub = new SseHub(events, options);
    expect(events.listening).toBe(false);
    const end = hub.add(client(true));
    expect(events.listening).toBe(true);
    end();
    expect(events.listening).toBe(false);
  });

  it('writes a ready event, then each event as id/event/data blocks', () => {
    const events = new AppEvents();
    const hub = new SseHub(events, options);
    const c = client(true);
    hub.add(c);
    events.emit(lift('192.0.2.1'));
    events.emit(lift('192.0.2.2'));
    expect(c.text).toBe(
      'retry: 3000\nevent: ready\ndata: {}\n\n' +
        'id: 1\nevent: ban.lifted\ndata: {"type":"ban.lifted","address":"192.0.2.1"}\n\n' +
        'id: 2\nevent: ban.lifted\ndata: {"type":"ban.lifted","address":"192.0.2.2"}\n\n',
    );
  });

  it('drops a client that stops reading once its unsent bytes pass the bound; the others keep their stream', () => {
    const events = new AppEvents();
    const drops: string[] = [];
    const hub = new SseHub(events, { ...options, onDrop: (r) => drops.push(r) });
    const good = client(true);
    const stalled = client(false);
    hub.add(good);
    hub.add(stalled);
    for (let i = 0; i < 200; i++) events.emit(lift(`192.0.2.${i % 250}`));
    expect(stalled.destroyed).toBe(true);
    expect(stalled.writableLength).toBeLessThanOrEqual(options.maxBufferedBytes);
    expect(drops).toEqual(['stalled']);
    expect(hub.size).toBe(1);
    expect(good.text.match(/event: ban\.lifted/g)).toHaveLength(200);
  });

  it('is full at maxClients; closeAll ends every stream and stops listening', () => {
    const events = new AppEvents();
    const hub = new SseHub(events, options);
    const a = client(true);
    const b = client(true);
    hub.add(a);
    expect(hub.full).toBe(false);
    hub.add(b);
    expect(hub.full).toBe(true);
    hub.closeAll();
    expect([a.writableEnded, b.writableEnded, hub.size, events.listening]).toEqual([true, true, 0, false]);
  });

  it('sends a keep-alive comment at the heartbeat period', async () => {
    const events = new AppEvents();
    const hub = new SseHub(events, { ...options, heartbeatMs: 20 });
    const c = client(true);
    const end = hub.add(c);
    for (let i = 0; i < 100 && !c.text.includes(': keep-alive'); i++) await new Promise((r) => setTimeout(r, 10));
    end();
    expect(c.text).toContain(': keep-alive\n\n');
  });
});
