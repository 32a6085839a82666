import type { Logger } from 'pino';

/** How one leg attempt (a trunk or a device contact) ended. */
export interface AttemptRecord {
  /** Trunk name, or the device user and contact for a local leg. */
  target: string;
  /** A SIP status, or `timeout`, `transport-error`, `trunk-down`, `out-of-service` (admin), `limit`, `cancelled`… */
  outcome: number | 'timeout' | 'transport-error' | 'trunk-down' | 'out-of-service' | 'limit' | 'cancelled' | 'no-answer' | 'forwarded' | 'skipped';
  earlyMedia?: boolean;
}

/** One call, as logged when it ends: enough to answer "why did my call go there / fail?". */
export interface CallRecord {
  callId: string;
  tenant?: string;
  /** Device user (`100_2`) or the carrier's calling number for inbound calls. */
  caller: string;
  /** Extension the call is charged to / presents (100 for device 100_2, a hot-desk guest…). */
  callerExtension?: string;
  dialled: string;
  direction: 'device' | 'carrier';
  /** The routing step that decided, with its words (e.g. `outgoing-line: line longdistance …`). */
  rule?: string;
  action?: string;
  attempts: AttemptRecord[];
  /** The final status the caller got (200 when answered). */
  finalStatus?: number;
  startedAt: number;
  answeredAt?: number;
  /** an IVR call: each menu input and where it led (`attendant: 2 → extension 102`) */
  ivr?: string[];
  /** set when the call was recorded: the WAV on the media server, why, and how long */
  recording?: { file: string; reason: string; seconds?: number };
  endedAt?: number;
  /** who ended the call: a BYE from either side or the admin API (BYE to both); `caller` also for a CANCEL before an answer */
  hangupSide?: 'caller' | 'callee' | 'admin';
}

export type CallRecordListener = (record: Readonly<CallRecord>) => void;

export function newCallRecord(callId: string, caller: string, dialled: string, direction: CallRecord['direction']): CallRecord {
  return { callId, caller, dialled, direction, attempts: [], startedAt: Date.now() };
}

/** The one info line per call; listeners (tests, metrics) get the same record. */
export function finishCallRecord(log: Logger, record: CallRecord, listeners: readonly CallRecordListener[], finalStatus?: number): void {
  if (record.endedAt !== undefined) return;
  if (finalStatus !== undefined && record.finalStatus === undefined) record.finalStatus = finalStatus;
  record.endedAt = Date.now();
  const durationMs = record.answeredAt === undefined ? 0 : record.endedAt - record.answeredAt;
  const setupMs = (record.answeredAt ?? record.endedAt) - record.startedAt;
  log.info(
    {
      callId: record.callId,
      tenant: record.tenant,
      caller: record.caller,
      callerExtension: record.callerExtension,
      dialled: record.dialled,
      direction: record.direction,
      action: record.action,
      rule: record.rule,
      attempts: record.attempts,
      finalStatus: record.finalStatus,
      setupMs,
      durationMs,
      hangupSide: record.hangupSide,
    },
    'call ended',
  );
  for (const l of listeners) {
    try {
      l(record);
    } catch {
      // a listener's failure must not disturb call handling
    }
  }
}
