import { OldestKeyEvictor } from '../../lib/oldest-key-evictor.js';
import type { AppEvents } from '../events/app-events.js';
import type { CallRecord } from './call-record.js';
import { liveCallView } from './live-call-view.js';

/**
 * The calls in progress on this instance: the call paths add their record when a call starts; the
 * record leaves when it is finished (this is one of the call listeners). Only this module writes the
 * map. Bounded, in case a path ever forgets to finish its record. Started, answered and ended go
 * to `events` when somebody listens.
 */
export class CallTable {
  private readonly live = new Map<string, CallRecord>();
  /** how to end each answered call (BYE to both legs) */
  private readonly hangups = new WeakMap<CallRecord, () => void>();
  private readonly evictor = new OldestKeyEvictor(this.live);

  constructor(
    private readonly max = 100_000,
    private readonly events?: AppEvents,
  ) {}

  add(record: CallRecord): void {
    this.live.set(record.callId, record);
    this.evictor.trimTo(this.max);
    if (this.events?.listening) this.events.emit({ type: 'call.started', call: liveCallView(record) });
  }

  /** The call is bridged; `hangUp` ends it from here. */
  answered(record: CallRecord, hangUp: () => void): void {
    if (this.live.get(record.callId) !== record) return;
    this.hangups.set(record, hangUp);
    if (this.events?.listening) this.events.emit({ type: 'call.answered', call: liveCallView(record) });
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
    if (this.live.get(record.callId) !== record) return;
    this.live.delete(record.callId);
    if (this.events?.listening) this.events.emit({ type: 'call.ended', call: liveCallView(record) });
  };

  list(): Readonly<CallRecord>[] {
    return [...this.live.values()];
  }
}
