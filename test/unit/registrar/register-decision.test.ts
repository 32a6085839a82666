import { describe, expect, it } from 'vitest';
import { decideRegistration, formatContactsFor200, type RegisterFacts } from '../../../src/app/registrar/register-decision.js';
import { DEFAULT_REGISTER_RULES } from '../../../src/app/registrar/registrar.js';
import type { Binding } from '../../../src/store/location-store.js';

const NOW = 1_700_000_000_000;
const rules = DEFAULT_REGISTER_RULES;

function facts(over: Partial<RegisterFacts> = {}): RegisterFacts {
  return {
    tenant: 'demo',
    extension: '100',
    deviceUser: '100_2',
    contacts: ['<sip:100_2@192.168.1.20:5060>'],
    callId: 'c1',
    cseq: 10,
    source: { address: '203.0.113.7', port: 40000, transport: 'udp' },
    ...over,
  };
}

function existing(over: Partial<Binding> = {}): Binding {
  return {
    bindingId: 'sip:100_2@192.168.1.20:5060',
    contactUri: 'sip:100_2@192.168.1.20:5060',
    deviceUser: '100_2',
    extension: '100',
    expiresAt: NOW + 60_000,
    callId: 'c1',
    cseq: 5,
    source: { address: '203.0.113.7', port: 40000, transport: 'udp' },
    ...over,
  };
}

const decide = (f: RegisterFacts, current: Binding[] = []) => decideRegistration(f, current, rules, NOW);

describe('registrar rules (RFC 3261 §10.3)', () => {
  it('no Expires anywhere → default 120 s, store TTL = granted + grace', () => {
    const d = decide(facts());
    expect(d.kind).toBe('apply');
    if (d.kind !== 'apply') return;
    expect(d.change.put).toHaveLength(1);
    expect(d.change.put![0]!.binding.expiresAt).toBe(NOW + 120_000);
    expect(d.change.put![0]!.ttlSeconds).toBe(120 + rules.graceSeconds);
  });

  it('the Expires header is honoured within [min, max]', () => {
    const d = decide(facts({ expires: '300' }));
    expect(d.kind === 'apply' && d.change.put![0]!.binding.expiresAt).toBe(NOW + 300_000);
  });

  it('expiry above maximum is clamped to 3600', () => {
    const d = decide(facts({ expires: 86400 }));
    expect(d.kind === 'apply' && d.change.put![0]!.binding.expiresAt).toBe(NOW + 3_600_000);
  });

  it('expiry below minimum → 423 with Min-Expires', () => {
    expect(decide(facts({ expires: '30' }))).toEqual({ kind: 'reject', status: 423, reason: 'Interval Too Brief', headers: { 'Min-Expires': '60' } });
  });

  it('a contact expires param below minimum → 423, even with a good Expires header', () => {
    expect(decide(facts({ expires: '600', contacts: ['<sip:a@10.0.0.1>;expires=59'] }))).toMatchObject({ status: 423 });
  });

  it('per-contact expires param overrides the Expires header', () => {
    const d = decide(facts({ expires: '600', contacts: ['<sip:a@10.0.0.1>;expires=90', '<sip:b@10.0.0.1>'] }));
    if (d.kind !== 'apply') throw new Error('expected apply');
    expect(d.change.put!.map((w) => (w.binding.expiresAt - NOW) / 1000)).toEqual([90, 600]);
  });

  it('a malformed Expires header falls back to the default', () => {
    const d = decide(facts({ expires: 'soon' }));
    expect(d.kind === 'apply' && d.change.put![0]!.binding.expiresAt).toBe(NOW + 120_000);
  });

  it('Expires: 0 on a contact removes it', () => {
    const d = decide(facts({ contacts: ['<sip:100_2@192.168.1.20:5060>;expires=0'], cseq: 6 }), [existing()]);
    expect(d).toEqual({ kind: 'apply', change: { remove: ['sip:100_2@192.168.1.20:5060'], put: [] }, bindings: [] });
  });

  it('Expires: 0 on an unknown contact is harmless', () => {
    const d = decide(facts({ expires: 0 }));
    expect(d).toEqual({ kind: 'apply', change: { remove: [], put: [] }, bindings: [] });
  });

  it("Contact: * with Expires 0 removes all the device's contacts", () => {
    const d = decide(facts({ contacts: ['*'], expires: '0', callId: 'other' }), [existing(), existing({ bindingId: 'x', contactUri: 'sip:x@h' })]);
    expect(d).toEqual({ kind: 'apply', change: { removeAll: true }, bindings: [] });
  });

  it('Contact: * with a non-zero or missing Expires → 400', () => {
    expect(decide(facts({ contacts: ['*'], expires: '60' }))).toMatchObject({ kind: 'reject', status: 400 });
    expect(decide(facts({ contacts: ['*'] }))).toMatchObject({ kind: 'reject', status: 400 });
  });

  it('Contact: * together with other contacts → 400', () => {
    expect(decide(facts({ contacts: ['*', '<sip:a@h>'], expires: '0' }))).toMatchObject({ kind: 'reject', status: 400 });
  });

  it('Contact: * with the same Call-ID and an old CSeq → 500', () => {
    expect(decide(facts({ contacts: ['*'], expires: 0, cseq: 5 }), [existing()])).toMatchObject({ status: 500 });
  });

  it('refresh extends the stored binding (same Call-ID, higher CSeq)', () => {
    const d = decide(facts({ expires: 3600, cseq: 6 }), [existing()]);
    if (d.kind !== 'apply') throw new Error('expected apply');
    expect(d.change.put![0]!.binding).toMatchObject({ cseq: 6, expiresAt: NOW + 3_600_000 });
    expect(d.bindings).toHaveLength(1);
  });

  it('same Call-ID with lower or equal CSeq → 500 and nothing changes', () => {
    expect(decide(facts({ cseq: 5 }), [existing()])).toMatchObject({ kind: 'reject', status: 500 });
    expect(decide(facts({ cseq: 4 }), [existing()])).toMatchObject({ kind: 'reject', status: 500 });
  });

  it('a different Call-ID replaces the binding of the same contact URI (phone rebooted)', () => {
    const d = decide(facts({ callId: 'after-reboot', cseq: 1 }), [existing({ cseq: 900 })]);
    if (d.kind !== 'apply') throw new Error('expected apply');
    expect(d.bindings).toHaveLength(1);
    expect(d.bindings[0]).toMatchObject({ callId: 'after-reboot', cseq: 1 });
  });

  it('contact URIs match by RFC comparison (case of host and param order)', () => {
    const prev = existing({ bindingId: 'sip:100_2@host.example:5060;lr;transport=udp', contactUri: 'sip:100_2@host.example:5060;transport=udp;lr' });
    const d = decide(facts({ contacts: ['<SIP:100_2@HOST.example:5060;Transport=UDP;lr>'], cseq: 3 }), [prev]);
    expect(d).toMatchObject({ kind: 'reject', status: 500 });
  });

  it('several contacts per device are all kept, and the 200 lists every current binding', () => {
    const other = existing({ bindingId: 'sip:soft@10.1.1.1', contactUri: 'sip:soft@10.1.1.1', callId: 'c9', expiresAt: NOW + 45_000 });
    const d = decide(facts({ contacts: ['<sip:a@10.0.0.1>', '<sip:b@10.0.0.2>'], cseq: 6 }), [other]);
    if (d.kind !== 'apply') throw new Error('expected apply');
    expect(formatContactsFor200(d.bindings, NOW).sort()).toEqual(['<sip:a@10.0.0.1>;expires=120', '<sip:b@10.0.0.2>;expires=120', '<sip:soft@10.1.1.1>;expires=45']);
  });

  it('REGISTER without Contact is a query: lists bindings, changes nothing', () => {
    const d = decide(facts({ contacts: [] }), [existing(), existing({ bindingId: 'dead', expiresAt: NOW - 1 })]);
    expect(d).toEqual({ kind: 'apply', change: {}, bindings: [existing()] });
  });

  it('the source address/port/transport of the REGISTER is kept in the binding (NAT)', () => {
    const d = decide(facts({ source: { address: '198.51.100.9', port: 61000, transport: 'tcp' } }));
    expect(d.kind === 'apply' && d.change.put![0]!.binding.source).toEqual({ address: '198.51.100.9', port: 61000, transport: 'tcp' });
  });

  it('+sip.instance and reg-id identify the binding: a new address replaces the old (RFC 5626)', () => {
    const prev = existing({ bindingId: '<urn:uuid:1>;reg-id=1', contactUri: 'sip:100_2@10.0.0.1:5060', instanceId: '<urn:uuid:1>', regId: 1 });
    const d = decide(facts({ contacts: ['<sip:100_2@10.0.0.99:5062>;+sip.instance="<urn:uuid:1>";reg-id=1'], cseq: 6 }), [prev]);
    if (d.kind !== 'apply') throw new Error('expected apply');
    expect(d.bindings).toHaveLength(1);
    expect(d.bindings[0]).toMatchObject({ contactUri: 'sip:100_2@10.0.0.99:5062', instanceId: '<urn:uuid:1>', regId: 1 });
    expect(formatContactsFor200(d.bindings, NOW)).toEqual(['<sip:100_2@10.0.0.99:5062>;expires=120;+sip.instance="<urn:uuid:1>";reg-id=1']);
  });

  it('over the per-device limit the soonest-expiring old binding makes room', () => {
    const current = Array.from({ length: 10 }, (_, i) => existing({ bindingId: `sip:${i}@h`, contactUri: `sip:${i}@h`, callId: `c-${i}`, expiresAt: NOW + (i + 1) * 1000 }));
    const d = decide(facts({ contacts: ['<sip:new@h>'] }), current);
    if (d.kind !== 'apply') throw new Error('expected apply');
    expect(d.change.remove).toEqual(['sip:0@h']);
    expect(d.bindings).toHaveLength(10);
  });

  it('more contacts in one REGISTER than the per-device limit → 403', () => {
    const contacts = Array.from({ length: 11 }, (_, i) => `<sip:${i}@h>`);
    expect(decide(facts({ contacts }))).toMatchObject({ kind: 'reject', status: 403 });
  });

  it('To naming another device than the authenticated one → 403', () => {
    expect(decide(facts({ toUser: '100_3' }))).toMatchObject({ kind: 'reject', status: 403 });
    expect(decide(facts({ toUser: '100_2' })).kind).toBe('apply');
  });

  it('a malformed contact → 400', () => {
    expect(decide(facts({ contacts: ['<sip:broken'] }))).toMatchObject({ kind: 'reject', status: 400 });
  });
});
