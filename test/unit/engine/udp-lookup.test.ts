import dgram from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { literalFirstLookup } from '../../../src/engine/transport/udp.js';

describe('UDP destination lookup', () => {
  it('answers an IPv4 or IPv6 literal before returning, with its family (no tick per send)', () => {
    const seen: Array<[string, number]> = [];
    literalFirstLookup('127.0.0.1', 4, (err, address, family) => {
      expect(err).toBeNull();
      seen.push([address, family]);
    });
    literalFirstLookup('::1', 6, (_err, address, family) => seen.push([address, family]));
    expect(seen).toEqual([
      ['127.0.0.1', 4],
      ['::1', 6],
    ]);
  });

  it('resolves a name through DNS, after returning', async () => {
    let sync = true;
    const got = await new Promise<{ address: string; family: number; sync: boolean }>((ok, fail) => {
      literalFirstLookup('localhost', { family: 4 }, (err, address, family) => (err ? fail(err) : ok({ address, family, sync })));
      sync = false;
    });
    expect(got.sync).toBe(false);
    expect(got.family).toBe(4);
    expect(got.address).toMatch(/^127\./);
  });

  it('a socket using it delivers a datagram sent to a literal', async () => {
    const rx = dgram.createSocket('udp4');
    const tx = dgram.createSocket({ type: 'udp4', lookup: literalFirstLookup });
    await new Promise<void>((ok) => rx.bind(0, '127.16.9.1', ok));
    const got = new Promise<string>((ok) => rx.once('message', (m) => ok(m.toString())));
    tx.send(Buffer.from('OPTIONS'), rx.address().port, '127.16.9.1');
    expect(await got).toBe('OPTIONS');
    tx.close();
    rx.close();
  });
});
