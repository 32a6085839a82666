import type { Buffer } from 'node:buffer';
import { cdrFrame, type CdrSource } from '../wire/leader.js';
import type { Core } from './contexts.js';

export type CdrRole = 'uac' | 'uas' | 'proxy-uac' | 'proxy-uas';
export type CdrStopReason = 'call-rejected' | 'call-canceled' | 'normal-release' | 'session-expired' | 'system-initiated-termination';

/**
 * Call detail records (§8) for calls the engine carries as UAS or UAC (B2BUA legs included) or proxies:
 * each record goes to one app that routed `cdr:<kind>`, round robin; with none, nothing is built.
 * drachtio-server needs `<cdrs>` in its configuration; here routing them is the request.
 */
export const cdrs = {
  attempt(core: Core, source: CdrSource, sip: Buffer): void {
    emit(core, 'attempt', source, undefined, sip);
  },
  start(core: Core, source: CdrSource, role: CdrRole, sip: Buffer): void {
    emit(core, 'start', source, role, sip);
  },
  stop(core: Core, source: CdrSource, reason: CdrStopReason, sip: Buffer): void {
    emit(core, 'stop', source, reason, sip);
  },
};

function emit(core: Core, kind: 'attempt' | 'start' | 'stop', source: CdrSource, detail: string | undefined, sip: Buffer): void {
  const app = core.pickApp(`cdr:${kind}`);
  if (app) app.send(cdrFrame(kind, source, detail, sip.toString('utf8')));
}
