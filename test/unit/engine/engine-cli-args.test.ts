import { describe, expect, it } from 'vitest';
import { CliError, parseContact, parseEngineArgs } from '../../../src/engine/cli-args.js';

describe("standalone engine flags (drachtio-server's)", () => {
  it('reads repeated --contact, --port, --address, --secret, --loglevel', () => {
    const o = parseEngineArgs([
      '--contact',
      'sip:127.0.0.1:5070;transport=udp',
      '--contact',
      'sip:127.0.0.2;transport=tcp',
      '--port',
      '9023',
      '--address',
      '127.0.0.3',
      '--secret',
      's',
      '--loglevel',
      'debug',
    ]);
    expect(o.contacts).toEqual([
      { host: '127.0.0.1', port: 5070, transports: ['udp'] },
      { host: '127.0.0.2', port: 5060, transports: ['tcp'] },
    ]);
    expect(o).toMatchObject({ port: 9023, address: '127.0.0.3', secret: 's', loglevel: 'debug' });
  });

  it('"*" binds all interfaces and transports default to udp,tcp', () => {
    expect(parseContact('sip:*:5060')).toEqual({ host: '0.0.0.0', port: 5060, transports: ['udp', 'tcp'] });
  });

  it('refuses a missing secret, unknown flags and unsupported transports with a clear message', () => {
    expect(() => parseEngineArgs([])).toThrow(/--secret is required/);
    expect(() => parseEngineArgs(['--bogus'])).toThrow(CliError);
    expect(() => parseContact('sip:1.2.3.4;transport=sctp')).toThrow(/sctp/);
  });
});

describe('TLS contacts and certificate flags (drachtio-server --contact sips:…, --cert-file, --key-file, --chain-file)', () => {
  const files = ['--cert-file', '/c.pem', '--key-file', '/k.pem', '--secret', 's'];

  it('a sips contact is TLS on 5061 by default and carries the certificate files', () => {
    const o = parseEngineArgs(['--contact', 'sip:127.0.0.1:5060;transport=udp,tcp', '--contact', 'sips:127.0.0.1;transport=tls', ...files, '--chain-file', '/ch.pem']);
    expect(o.contacts).toEqual([
      { host: '127.0.0.1', port: 5060, transports: ['udp', 'tcp'] },
      { host: '127.0.0.1', port: 5061, transports: ['tls'], tls: { certFile: '/c.pem', keyFile: '/k.pem', chainFile: '/ch.pem' } },
    ]);
  });

  it('sip:…;transport=tls and udp beside tls on one port are accepted', () => {
    expect(parseContact('sip:10.0.0.1:5071;transport=tls')).toEqual({ host: '10.0.0.1', port: 5071, transports: ['tls'] });
    expect(parseContact('sips:*:5061')).toEqual({ host: '0.0.0.0', port: 5061, transports: ['tls'] });
    expect(parseContact('sip:10.0.0.1:5060;transport=udp,tls').transports).toEqual(['udp', 'tls']);
  });

  it('refuses tls without certificate and key, tcp and tls on one port, and a sips contact over udp', () => {
    expect(() => parseEngineArgs(['--contact', 'sips:127.0.0.1:5061', '--secret', 's'])).toThrow(/needs --cert-file and --key-file/);
    expect(() => parseEngineArgs(['--contact', 'sips:127.0.0.1:5061', '--cert-file', '/c.pem', '--secret', 's'])).toThrow(/--key-file/);
    expect(() => parseContact('sip:127.0.0.1:5060;transport=tcp,tls')).toThrow(/cannot share a port/);
    expect(() => parseContact('sips:127.0.0.1:5061;transport=udp')).toThrow(/TLS only/);
  });
});
