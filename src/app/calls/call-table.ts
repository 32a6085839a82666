import { OldestKeyEvictor } from '../../lib/oldest-key-evictor.js';
import type { CallRecord } from './call-record.js';

/**
 * The calls in progress on this instance: the call paths add their record when a call starts; the
 * record leaves when it is finished (this is one of the call listeners). Only this module writes the
 * map. Bounded, in case a path ever forgets to finish its record.
 */
export class CallTable {
  private readonly live = new Map<string, CallRecord>();
  private readonly evictor = new OldestKeyEvictor(this.live);

  constructor(private readonly max = 100_000) {}

  add(record: CallRecord): void {
    this.live.set(record.callId, record);
    this.evictor.trimTo(this.max);
  }

  /** A call listener: the finished call is no longer live. */
  readonly onRecord = (record: Readonly<CallRecord>): void => {
    if (this.live.get(record.callId) === record) this.live.delete(record.callId);
  };

  list(): Readonly<CallRecord>[] {
    return [...this.live.values()];
  }
}
