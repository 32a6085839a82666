import type { CallRecord } from '../../app/calls/call-record.js';
import { isoTime as iso } from '../../lib/iso-time.js';

/** One call detail record: what billing and the "recent calls" view read (one JSON line each). */
export interface Cdr {
  callId: string;
  tenant?: string;
  direction: CallRecord['direction'];
  caller: string;
  callerExtension?: string;
  /** the calling device (`100_2`) of a device's call; a carrier call has none */
  device?: string;
  dialled: string;
  /** what routing decided (`outbound`, `local`, `reject`, `emergency`…) and the rule that decided it */
  action?: string;
  rule?: string;
  /** trunks (and devices) tried, in order, with how each attempt ended */
  attempts: CallRecord['attempts'];
  trunks: string[];
  startedAt: string;
  answeredAt?: string;
  endedAt?: string;
  /** seconds between answer and end (0 when not answered) */
  durationSeconds: number;
  finalStatus?: number;
  hangupSide?: 'caller' | 'callee' | 'admin';
  /** the recording's WAV file on the media server, when the call was recorded */
  recording?: { file: string; reason: string; seconds?: number };
  /** an IVR call's menu inputs and where each led */
  ivr?: string[];
  /** which product instance handled the call (several may write to one Redis stream) */
  instance?: string;
}

/** The record of a finished call, or of a live one (then without end, duration so far). */
export function toCdr(r: Readonly<CallRecord>, trunkNames: ReadonlySet<string>, now = Date.now(), instance?: string): Cdr {
  const answeredAt = iso(r.answeredAt);
  const endedAt = iso(r.endedAt);
  return {
    callId: r.callId,
    ...(r.tenant !== undefined && { tenant: r.tenant }),
    direction: r.direction,
    caller: r.caller,
    ...(r.callerExtension !== undefined && { callerExtension: r.callerExtension }),
    ...(r.direction === 'device' && { device: r.caller }),
    dialled: r.dialled,
    ...(r.action !== undefined && { action: r.action }),
    ...(r.rule !== undefined && { rule: r.rule }),
    attempts: r.attempts.map((a) => ({ ...a })),
    trunks: r.attempts.map((a) => a.target).filter((t) => trunkNames.has(t)),
    startedAt: new Date(r.startedAt).toISOString(),
    ...(answeredAt && { answeredAt }),
    ...(endedAt && { endedAt }),
    durationSeconds: r.answeredAt === undefined ? 0 : Math.round(((r.endedAt ?? now) - r.answeredAt) / 100) / 10,
    ...(r.finalStatus !== undefined && { finalStatus: r.finalStatus }),
    ...(r.hangupSide !== undefined && { hangupSide: r.hangupSide }),
    ...(r.recording !== undefined && { recording: { ...r.recording } }),
    ...(r.ivr !== undefined && { ivr: [...r.ivr] }),
    ...(instance !== undefined && { instance }),
  };
}
