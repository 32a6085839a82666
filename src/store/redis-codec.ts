import { LocationStoreError, toTransport, type Binding } from './location-store.js';

/** Binding ⇄ Redis hash fields (short names: these are written on every REGISTER). */
export function bindingToFields(b: Binding): string[] {
  const f = [
    'id',
    b.bindingId,
    'c',
    b.contactUri,
    'd',
    b.deviceUser,
    'x',
    b.extension,
    'e',
    String(b.expiresAt),
    'i',
    b.callId,
    's',
    String(b.cseq),
    'a',
    b.source.address,
    'p',
    String(b.source.port),
    't',
    b.source.transport,
  ];
  if (b.instanceId !== undefined) f.push('n', b.instanceId);
  if (b.regId !== undefined) f.push('r', String(b.regId));
  if (b.userAgent !== undefined) f.push('u', b.userAgent);
  return f;
}

/** Decodes HGETALL's flat [field, value, ...] reply. */
export function bindingFromFlat(flat: readonly unknown[]): Binding {
  const m = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) m.set(String(flat[i]), String(flat[i + 1]));
  const need = (k: string): string => {
    const v = m.get(k);
    if (v === undefined) throw new LocationStoreError(`binding record lacks field '${k}'`, 'corrupt-record');
    return v;
  };
  const transport = toTransport(need('t'));
  if (!transport) throw new LocationStoreError(`binding record has transport '${need('t')}'`, 'corrupt-record');
  const b: Binding = {
    bindingId: need('id'),
    contactUri: need('c'),
    deviceUser: need('d'),
    extension: need('x'),
    expiresAt: Number(need('e')),
    callId: need('i'),
    cseq: Number(need('s')),
    source: { address: need('a'), port: Number(need('p')), transport },
  };
  const n = m.get('n');
  if (n !== undefined) b.instanceId = n;
  const r = m.get('r');
  if (r !== undefined) b.regId = Number(r);
  const u = m.get('u');
  if (u !== undefined) b.userAgent = u;
  return b;
}
