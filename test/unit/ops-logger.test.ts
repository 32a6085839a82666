import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import pino from 'pino';
import { logRedaction, redactSip } from '../../src/ops/logger.js';

function capture(): { log: pino.Logger; lines: () => string } {
  let out = '';
  const sink = new Writable({ write: (chunk: Buffer, _e, cb) => ((out += chunk.toString()), cb()) });
  return { log: pino({ level: 'info', redact: logRedaction }, sink), lines: () => out };
}

describe('secrets never reach logs', () => {
  it('passwords, PINs, secrets and credentials headers are redacted at the top level and where the code nests them', () => {
    const { log, lines } = capture();
    log.info({ password: 'pw-top', pin: '9876', secret: 'wire-secret', authorization: 'Digest response="x"' }, 'a');
    log.info({ device: { password: 'pw-device' }, trunk: { password: 'pw-trunk' }, credentials: { password: 'pw-cred' } }, 'b');
    log.info({ headers: { authorization: 'Digest a', 'proxy-authorization': 'Digest b' }, config: { drachtio: { secret: 'cfg-secret' }, redis: { password: 'redis-pw' } } }, 'c');
    const text = lines();
    for (const s of ['pw-top', '9876', 'wire-secret', 'Digest', 'pw-device', 'pw-trunk', 'pw-cred', 'cfg-secret', 'redis-pw']) expect(text).not.toContain(s);
    expect(text.match(/\[redacted\]/g)?.length).toBe(11);
  });

  it('SIP message dumps lose their Authorization and Proxy-Authorization values', () => {
    const dump = 'REGISTER sip:demo.local SIP/2.0\r\nAuthorization: Digest username="100", response="abc"\r\nproxy-authorization: Digest x\r\nTo: <sip:100@demo.local>\r\n';
    const out = redactSip(dump);
    expect(out).not.toContain('response="abc"');
    expect(out).not.toContain('Digest x');
    expect(out).toContain('To: <sip:100@demo.local>');
  });
});
