import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import { configErrorOf, tenantYaml } from './helpers.js';

const withListen = (listen: string): string => `sip:\n  listen:\n${listen}\n${tenantYaml()}`;

describe('sip.listen with TLS', () => {
  it('a tls entry with certificate and key files loads beside udp+tcp', () => {
    const c = parseConfig(
      withListen(
        '    - { host: 127.0.0.1, port: 5060, transports: [udp, tcp] }\n' +
          '    - { host: 127.0.0.1, port: 5061, transports: [tls], tls: { certFile: /etc/sip/cert.pem, keyFile: /etc/sip/key.pem, caFile: /etc/sip/ca.pem } }',
      ),
      'x.yaml',
    );
    expect(c.sip.listen[1]).toEqual({ host: '127.0.0.1', port: 5061, transports: ['tls'], tls: { certFile: '/etc/sip/cert.pem', keyFile: '/etc/sip/key.pem', caFile: '/etc/sip/ca.pem' } });
  });

  it('tls without files is refused, naming sip.listen[0].tls', () => {
    const e = configErrorOf(withListen('    - { host: 127.0.0.1, port: 5061, transports: [tls] }'));
    expect(e.key).toBe('sip.listen[0].tls');
    expect(e.problem).toMatch(/tls\.certFile and tls\.keyFile/);
  });

  it('tcp and tls in one entry (one port) are refused', () => {
    const e = configErrorOf(withListen('    - { host: 127.0.0.1, port: 5061, transports: [tcp, tls], tls: { certFile: c.pem, keyFile: k.pem } }'));
    expect(e.key).toBe('sip.listen[0].transports');
    expect(e.problem).toMatch(/cannot share a port/);
  });

  it('an unknown transport is still refused', () => {
    expect(configErrorOf(withListen('    - { host: 127.0.0.1, port: 5060, transports: [sctp] }')).key).toBe('sip.listen[0].transports[0]');
  });
});
