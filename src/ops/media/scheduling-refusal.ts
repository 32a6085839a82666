import type { MediaThreadPriority } from './media-thread-messages.js';

/** What the media threads asked the scheduler for (media.embedded.priority, realtimePriority). */
export interface SchedulingWanted {
  priority: number;
  realtimePriority: number;
}

/**
 * The one info line to log when the scheduler refused the media threads what they asked for, or
 * undefined when nothing was refused: which request failed and why, what that costs, how to grant
 * it or silence the line. One line even when both were refused (a non-root `npm start` is the
 * common case and should not open with two warnings).
 */
export function schedulingRefusal(wanted: SchedulingWanted, threads: readonly MediaThreadPriority[]): { fields: Record<string, unknown>; msg: string } | undefined {
  const nice = threads.find((t) => t.refused !== undefined);
  const rr = threads.find((t) => t.realtime.refused !== undefined);
  if (!nice && !rr) return undefined;
  const parts: string[] = [];
  const keys: string[] = [];
  const fields: Record<string, unknown> = {};
  if (nice) {
    parts.push(`nice ${wanted.priority} was refused (${nice.refused})`);
    keys.push('media.embedded.priority: 0');
    Object.assign(fields, { wantedNice: wanted.priority, nice: nice.nice, niceRefused: nice.refused });
  }
  if (rr) {
    parts.push(`SCHED_RR ${wanted.realtimePriority} was refused (${rr.realtime.refused})`);
    keys.push('media.embedded.realtimePriority: 0');
    Object.assign(fields, { wantedRealtime: wanted.realtimePriority, realtimeRefused: rr.realtime.refused });
  }
  const now = rr ? `at nice ${(nice ?? rr).nice}, without real-time scheduling` : `at nice ${nice!.nice}`;
  return {
    fields,
    msg: `media threads run ${now}: ${parts.join(' and ')}; RTP pacing suffers first when the machine is busy. Run with CAP_SYS_NICE, or set ${keys.join(' and ')} to silence this`,
  };
}
