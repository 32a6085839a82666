import type { Logger } from 'pino';
import type Srf from 'drachtio-srf';
import { bridge } from './bridge.js';
import type { CallerLeg } from './caller-leg.js';
import type { CallOutcome } from './fork.js';
import type { CallServices } from './services.js';

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

/**
 * One call's record from its start to its one "call ended" line: listed in the call table when
 * opened, marked answered with the way to hang it up, finished once for every call listener.
 * The call paths fill in the record's routing fields; everything else about it happens here.
 */
export class CallLog {
  readonly record: CallRecord;

  private constructor(
    private readonly services: Pick<CallServices, 'calls' | 'callListeners'>,
    readonly log: Logger,
    record: CallRecord,
  ) {
    this.record = record;
  }

  /** A new call of `tenant`, listed at once among the calls in progress; `fields` go on every log line of the call. */
  static open(
    services: Pick<CallServices, 'calls' | 'callListeners'>,
    log: Logger,
    fields: Record<string, string>,
    call: { callId: string; caller: string; dialled: string; direction: CallRecord['direction']; tenant: string },
  ): CallLog {
    const record = newCallRecord(call.callId, call.caller, call.dialled, call.direction);
    record.tenant = call.tenant;
    services.calls.add(record);
    return new CallLog(services, log.child({ callId: call.callId, tenant: call.tenant, ...fields }), record);
  }

  /**
   * The caller is answered: the two dialogs are joined (see `bridge`), the call is listed as
   * answered with the way to hang it up (admin API, drain), and it is finished when either side
   * ends it, after `onEnd` (which frees what the call held).
   */
  private bridge(uas: Srf.Dialog, uac: Srf.Dialog, relayInDialog: boolean, onEnd: () => void): void {
    this.record.answeredAt = Date.now();
    this.record.finalStatus = 200;
    const hangUp = bridge(
      uas,
      uac,
      (endedBy) => {
        this.record.hangupSide = endedBy === 'a' ? 'caller' : endedBy === 'b' ? 'callee' : 'admin';
        onEnd();
        this.finish();
      },
      relayInDialog,
    );
    this.services.calls.answered(this.record, hangUp);
  }

  /**
   * The common end of every call path: an answered call is bridged (and finished when it ends),
   * a failed one is answered with its status (487 was already sent if the caller cancelled).
   * `onEnd` frees what the call held (trunk slots, media endpoints).
   */
  complete(caller: CallerLeg, outcome: CallOutcome, onEnd: () => void = () => undefined, anchored = false): void {
    if (outcome.kind === 'answered') {
      this.bridge(outcome.uas, outcome.uac, !anchored, onEnd);
      return;
    }
    onEnd();
    // a caller who CANCELled (or whose transaction ended) hung up before an answer
    if (caller.gone) this.record.hangupSide ??= 'caller';
    const status = caller.gone ? 487 : outcome.status;
    caller.reject(status, outcome.reason || undefined, caller.gone ? {} : outcome.headers);
    this.finish(status);
  }

  /** The caller was answered by a media server (IVR, voicemail, a feature code): no bridge, nothing to hang up from here. */
  answeredHere(): void {
    this.record.answeredAt ??= Date.now();
    this.record.finalStatus = 200;
  }

  /** The call is over (idempotent): logged once, then given to every call listener. */
  finish(finalStatus?: number): void {
    finishCallRecord(this.log, this.record, this.services.callListeners, finalStatus);
  }
}
