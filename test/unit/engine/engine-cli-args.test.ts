import { describe, expect, it } from 'vitest';
import { CliError, parseContact, parseEngineArgs } from '../../../src/engine/cli-args.js';

describe("standalone engine flags (drachtio-server's)", () => {
  it('reads repeated --contact, --port, --address, --secret, --loglevel', () => {
    const o = parseEngineArgs(['--contact', 'sip:127.0.0.1:5070;transport=udp', '--contact', 'sip:127.0.0.2;transport=tcp', '--port', '9023', '--address', '127.0.0.3', '--secret', 's', '--loglevel', 'debug']);
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
