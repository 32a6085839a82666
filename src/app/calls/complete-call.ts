import type { Logger } from 'pino';
import { bridge } from './bridge.js';
import { finishCallRecord, type CallRecord, type CallRecordListener } from './call-record.js';
import type { CallerLeg } from './caller-leg.js';
import type { CallOutcome } from './fork.js';
import type { CallServices } from './services.js';

/**
 * The common end of every call path: an answered call is bridged (and logged when it ends), a
 * failed one is answered with its status (487 was already sent if the caller cancelled).
 */
export function completeCall(
  log: Logger, services: Pick<CallServices, 'callListeners' | 'calls'>, caller: CallerLeg, record: CallRecord, outcome: CallOutcome, onEnd: () => void = () => undefined,
  anchored = false,
): void {
  const listeners: readonly CallRecordListener[] = services.callListeners;
  if (outcome.kind === 'answered') {
    record.answeredAt = Date.now();
    record.finalStatus = 200;
    const hangUp = bridge(outcome.uas, outcome.uac, (endedBy) => {
      record.hangupSide = endedBy === 'a' ? 'caller' : endedBy === 'b' ? 'callee' : 'admin';
      onEnd();
      finishCallRecord(log, record, listeners);
    }, !anchored);
    services.calls.answered(record, hangUp);
    return;
  }
  onEnd();
  // a caller who CANCELled (or whose transaction ended) hung up before an answer
  if (caller.gone) record.hangupSide ??= 'caller';
  const status = caller.gone ? 487 : outcome.status;
  caller.reject(status, outcome.reason || undefined, caller.gone ? {} : outcome.headers);
  finishCallRecord(log, record, listeners, status);
}
