import type { CallRecord } from '../calls/call-record.js';
import type { CallSlot } from './call-limits.js';

/**
 * Tenant inbound slots of carrier calls in progress, keyed by the caller's Call-ID, released when
 * the call's record is finished (every end of a carrier call finishes its record) — so the
 * carrier call path itself need not know about limits.
 */
export class InboundSlots {
  private readonly byCallId = new Map<string, CallSlot[]>();

  hold(callId: string, slot: CallSlot): void {
    const list = this.byCallId.get(callId);
    if (list === undefined) this.byCallId.set(callId, [slot]);
    else list.push(slot);
  }

  release(callId: string): void {
    const list = this.byCallId.get(callId);
    if (list === undefined) return;
    list.shift()?.release();
    if (list.length === 0) this.byCallId.delete(callId);
  }

  /** A call-record listener: releases the slot of a finished carrier call. */
  readonly onRecord = (record: Readonly<CallRecord>): void => {
    if (record.direction === 'carrier') this.release(record.callId);
  };

  get size(): number {
    return this.byCallId.size;
  }
}
