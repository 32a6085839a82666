import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificate {
  dir: string;
  certFile: string;
  keyFile: string;
  /** the certificate is self-signed: it is also the CA that verifies it */
  caFile: string;
  remove(): void;
}

/**
 * A throw-away self-signed certificate for the given IP addresses, made with openssl into a
 * temporary directory (no key is ever committed).
 */
export function makeTestCertificate(ips: readonly string[], commonName = 'sip-test'): TestCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'sip-tls-'));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  const san = ips.map((ip) => `IP:${ip}`).join(',');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '2',
      '-subj',
      `/CN=${commonName}`,
      '-addext',
      `subjectAltName=${san}`,
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'pipe' },
  );
  return { dir, certFile, keyFile, caFile: certFile, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
