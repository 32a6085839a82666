import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import type { StreamFlavor } from './stream.js';
import type { TlsFiles } from './types.js';
import { ERRORS, errorMessage } from '../../lib/errors.js';

/** A certificate file named in the configuration could not be used; names the file. */
export class TlsFileError extends Error {
  readonly code = ERRORS.TLS_FILE_UNUSABLE.code;
  constructor(
    readonly file: string,
    readonly role: keyof TlsFiles,
    why: string,
  ) {
    super(errorMessage('TLS_FILE_UNUSABLE', { role: ROLE[role], file, why }));
    this.name = 'TlsFileError';
  }
}

const ROLE: Record<keyof TlsFiles, string> = { certFile: 'certificate file', keyFile: 'key file', chainFile: 'chain file', caFile: 'CA file' };

function readPem(files: TlsFiles, role: keyof TlsFiles): Buffer | undefined {
  const file = files[role];
  if (file === undefined) return undefined;
  let pem: Buffer;
  try {
    pem = readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new TlsFileError(file, role, code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (err as Error).message);
  }
  if (!pem.includes('-----BEGIN ')) throw new TlsFileError(file, role, 'not a PEM file');
  return pem;
}

export interface TlsFlavorOptions {
  /** a peer that connects but does not finish the handshake this long is disconnected */
  handshakeTimeoutMs: number;
}

/**
 * SIP over TLS (RFC 3261 §26.2.1 / RFC 5630): the same stream framing as TCP inside TLS.
 * Files are read here, at start, so a bad path stops the engine with the file's name.
 * Outbound connections present the same certificate; server certificates are checked only
 * against `caFile` when one is given (as drachtio-server, which verifies no peer by default).
 */
export function tlsFlavor(files: TlsFiles, opts: TlsFlavorOptions): StreamFlavor {
  const key = readPem(files, 'keyFile');
  const chain = readPem(files, 'chainFile');
  const certOnly = readPem(files, 'certFile');
  const ca = readPem(files, 'caFile');
  const cert = chain && certOnly ? Buffer.concat([certOnly, Buffer.from('\n'), chain]) : certOnly;
  let context: tls.SecureContext;
  try {
    context = tls.createSecureContext({ key, cert, ...(ca && { ca }) });
  } catch (err) {
    throw new TlsFileError(files.certFile, 'certFile', `does not match ${files.keyFile} or cannot be read as a certificate (${(err as Error).message})`);
  }
  return {
    name: 'tls',
    createServer(onSocket, onRejected) {
      // a server builds its own context from the PEMs (it ignores a `secureContext` option)
      const server = tls.createServer({ key, cert, ...(ca && { ca }), handshakeTimeout: opts.handshakeTimeoutMs }, onSocket);
      server.on('tlsClientError', (err, socket) => {
        onRejected({ address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 }, `TLS handshake failed: ${(err as NodeJS.ErrnoException).code ?? err.message}`);
        socket.destroy();
      });
      return server;
    },
    connect(dest, localAddress) {
      // tls.connect hands the net.connect options (localAddress) to the socket it creates
      const options: tls.ConnectionOptions & { localAddress?: string } = { host: dest.address, port: dest.port, localAddress, secureContext: context, rejectUnauthorized: ca !== undefined };
      const socket = tls.connect(options);
      return { socket, ready: 'secureConnect' };
    },
  };
}
