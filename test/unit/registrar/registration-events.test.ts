import { describe, expect, it } from 'vitest';
import { Registrar } from '../../../src/app/registrar/registrar.js';
import type { RegisterFacts } from '../../../src/app/registrar/register-decision.js';
import { AppEvents, type AppEvent } from '../../../src/app/events/app-events.js';
import { MemoryLocationStore } from '../../../src/store/memory.js';
import { FakeClock } from '../auth/helpers.js';

function setup(listen = true) {
  const clock = new FakeClock();
  const store = new MemoryLocationStore({ clock, sweepIntervalMs: 0 });
  const events = new AppEvents();
  const seen: AppEvent[] = [];
  if (listen) events.subscribe((e) => seen.push(e));
  return { clock, store, events, seen, registrar: new Registrar({ store, clock, events }) };
}

const reg = (over: Partial<RegisterFacts> = {}): RegisterFacts => ({
  tenant: 'demo',
  extension: '100',
  deviceUser: '100',
  contacts: ['<sip:100@192.168.1.5:5060>'],
  expires: '120',
  callId: 'call-100',
  cseq: 1,
  source: { address: '203.0.113.7', port: 40000, transport: 'udp' },
  userAgent: 'Phone/1.0',
  ...over,
});

const brief = (e: AppEvent): string => ('bindingId' in e ? `${e.type}${'reason' in e ? `(${e.reason})` : ''}${'refreshed' in e && e.refreshed ? '(refresh)' : ''}:${e.bindingId}` : e.type);

describe('registration events from the registrar', () => {
  it('register, refresh, unregister one, unregister all: added, added (refresh), removed, removed', async () => {
    const { registrar, seen } = setup();
    await registrar.register(reg({ contacts: ['<sip:a@10.0.0.1>', '<sip:b@10.0.0.2>'] }));
    await registrar.register(reg({ contacts: ['<sip:a@10.0.0.1>'], cseq: 2 }));
    await registrar.register(reg({ contacts: ['<sip:a@10.0.0.1>;expires=0'], cseq: 3 }));
    await registrar.register(reg({ contacts: ['*'], expires: '0', cseq: 4 }));
    expect(seen.map(brief)).toEqual([
      'registration.added:sip:a@10.0.0.1',
      'registration.added:sip:b@10.0.0.2',
      'registration.added(refresh):sip:a@10.0.0.1',
      'registration.removed(register):sip:a@10.0.0.1',
      'registration.removed(register):sip:b@10.0.0.2',
    ]);
    expect(seen[0]).toMatchObject({
      tenant: 'demo',
      extension: '100',
      deviceUser: '100',
      contact: 'sip:a@10.0.0.1',
      userAgent: 'Phone/1.0',
      source: { address: '203.0.113.7', port: 40000, transport: 'udp' },
    });
  });

  it('a plain query (no Contact) and a refusal emit nothing', async () => {
    const { registrar, seen } = setup();
    await registrar.register(reg());
    seen.length = 0;
    await registrar.register(reg({ contacts: [], cseq: 2 }));
    await registrar.register(reg({ toUser: '101', cseq: 3 }));
    expect(seen).toEqual([]);
  });

  it('admin removal of a device emits removed (admin) per binding', async () => {
    const { registrar, seen } = setup();
    await registrar.register(reg({ contacts: ['<sip:a@10.0.0.1>', '<sip:b@10.0.0.2>'] }));
    seen.length = 0;
    expect(await registrar.removeDevice({ tenant: 'demo', extension: '100', deviceUser: '100' })).toBe(2);
    expect(seen.map(brief)).toEqual(['registration.removed(admin):sip:a@10.0.0.1', 'registration.removed(admin):sip:b@10.0.0.2']);
    expect(await registrar.removeDevice({ tenant: 'demo', extension: '100', deviceUser: '100' })).toBe(0);
  });

  it('an unrefreshed binding is reported expired once its time has passed; a refreshed one is not', async () => {
    const { registrar, seen, clock } = setup();
    await registrar.register(reg({ contacts: ['<sip:a@10.0.0.1>'] }));
    await registrar.register(reg({ deviceUser: '100_2', callId: 'call-2', contacts: ['<sip:b@10.0.0.2>'] }));
    clock.advance(100_000);
    await registrar.register(reg({ deviceUser: '100_2', callId: 'call-2', contacts: ['<sip:b@10.0.0.2>'], cseq: 2 }));
    clock.advance(30_000); // a's 120 s are over, b was refreshed 30 s ago
    for (let i = 0; i < 40 && !seen.some((e) => e.type === 'registration.expired'); i++) await new Promise((r) => setTimeout(r, 100));
    registrar.stop();
    expect(seen.filter((e) => e.type === 'registration.expired').map(brief)).toEqual(['registration.expired:sip:a@10.0.0.1']);
  });

  it('nobody listening: no event is built and nothing is watched for expiry', async () => {
    const { registrar, events } = setup(false);
    let built = 0;
    const emit = events.emit.bind(events);
    events.emit = (e) => {
      built++;
      emit(e);
    };
    await registrar.register(reg());
    await registrar.removeDevice({ tenant: 'demo', extension: '100', deviceUser: '100' });
    expect(built).toBe(0);
    registrar.stop();
  });
});
