import { OldestKeyEvictor } from '../../lib/oldest-key-evictor.js';
import type { CallRecord } from './call-record.js';

/**
 * The calls in progress on this instance: the call paths add their record when a call starts; the
 * record leaves when it is finished (this is one of the call listeners). Only this module writes the
 * map. Bounded, in case a path ever forgets to finish its record.
 */
export class CallTable {
  private readonly live = new Map<string, CallRecord>();
  /** how to end each answered call (BYE to both legs) */
  private readonly hangups = new WeakMap<CallRecord, () => void>();
  private readonly evictor = new OldestKeyEvictor(this.live);

  constructor(private readonly max = 100_000) {}

  add(record: CallRecord): void {
    this.live.set(record.callId, record);
    this.evictor.trimTo(this.max);
  }

  /** The call is bridged; `hangUp` ends it from here. */
  answered(record: CallRecord, hangUp: () => void): void {
    if (this.live.get(record.callId) === record) this.hangups.set(record, hangUp);
  }

  /** Ends an answered call; false when there is no such live answered call. */
  hangUp(callId: string): boolean {
    const record = this.live.get(callId);
    const hangUp = record && this.hangups.get(record);
    if (hangUp === undefined) return false;
    hangUp();
    return true;
  }

  /** A call listener: the finished call is no longer live. */
  readonly onRecord = (record: Readonly<CallRecord>): void => {
    if (this.live.get(record.callId) === record) this.live.delete(record.callId);
  };

  list(): Readonly<CallRecord>[] {
    return [...this.live.values()];
  }
}
