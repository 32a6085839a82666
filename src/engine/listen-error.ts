import { TlsFileError } from './transport/tls.js';
import { ERRORS, errorMessage } from '../lib/errors.js';

/** Why a listen point could not be opened, in words an operator acts on; undefined for other errors. */
export function describeListenError(err: unknown): string | undefined {
  if (err instanceof TlsFileError) return err.message;
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { code?: unknown; syscall?: unknown; address?: unknown; port?: unknown };
  const why = typeof e.code === 'string' ? WHY[e.code] : undefined;
  if (why === undefined) return undefined;
  const what = e.syscall === 'bind' ? 'UDP' : 'TCP';
  return `cannot listen on ${what} ${String(e.address)}:${String(e.port)}: ${why}`;
}

const WHY: Record<string, string> = {
  EADDRINUSE: 'the address is already in use (is another copy running, or another server on that port?)',
  EACCES: 'permission denied (ports below 1024 need privileges)',
  EADDRNOTAVAIL: 'no interface of this machine has that address',
};

/** The embedded engine could not start (a listen point, usually): the product cannot run. */
export class EngineStartError extends Error {
  readonly code = ERRORS.ENGINE_START_FAILED.code;
  constructor(reason: string) {
    super(errorMessage('ENGINE_START_FAILED', { reason }));
    this.name = 'EngineStartError';
  }
}
