import type { LiveCallView } from '../events/app-events.js';
import type { CallRecord } from './call-record.js';
import { isoTime as iso } from '../../lib/iso-time.js';

/** A call record as the event stream carries it: who, where, state and times; no routing detail. */
export function liveCallView(r: Readonly<CallRecord>): LiveCallView {
  const answeredAt = iso(r.answeredAt);
  const endedAt = iso(r.endedAt);
  return {
    callId: r.callId,
    ...(r.tenant !== undefined && { tenant: r.tenant }),
    direction: r.direction,
    caller: r.caller,
    ...(r.callerExtension !== undefined && { callerExtension: r.callerExtension }),
    dialled: r.dialled,
    state: r.endedAt !== undefined ? 'ended' : r.answeredAt !== undefined ? 'answered' : 'setup',
    startedAt: new Date(r.startedAt).toISOString(),
    ...(answeredAt && { answeredAt }),
    ...(endedAt && { endedAt }),
    ...(r.finalStatus !== undefined && { finalStatus: r.finalStatus }),
    ...(r.hangupSide !== undefined && { hangupSide: r.hangupSide }),
  };
}
