// RFC 4733 telephone-events: receive (one digit per event timestamp, reported at its end) and the
// packet schedule for sending one digit.
const DIGITS = '0123456789*#ABCD';

export function eventToDigit(ev: number): string | undefined {
  return ev < 16 ? DIGITS[ev] : undefined;
}

export function digitToEvent(d: string): number | undefined {
  const i = DIGITS.indexOf(d.toUpperCase());
  return i < 0 ? undefined : i;
}

export interface ReceivedDigit {
  digit: string;
  /** RTP timestamp units */
  duration: number;
  ssrc: number;
  timestamp: number;
}

/** Tracks incoming events; `onPacket` returns a digit once per event (at its end bit). */
export class DtmfReceiver {
  private lastTs = -1;
  private reported = true;

  onPacket(payload: Buffer, offset: number, len: number, ts: number, ssrc: number): ReceivedDigit | undefined {
    if (len < 4) return undefined;
    const digit = eventToDigit(payload[offset]!);
    if (digit === undefined) return undefined;
    const end = (payload[offset + 1]! & 0x80) !== 0;
    const duration = payload.readUInt16BE(offset + 2);
    if (ts !== this.lastTs) {
      this.lastTs = ts;
      this.reported = false;
    }
    if (end && !this.reported) {
      this.reported = true;
      return { digit, duration: Math.max(400, duration), ssrc, timestamp: ts };
    }
    return undefined;
  }
}

/** Writes the 4-byte event payload at `offset`. */
export function writeDtmfPayload(b: Buffer, offset: number, event: number, end: boolean, volume: number, duration: number): void {
  b[offset] = event;
  b[offset + 1] = (end ? 0x80 : 0) | (volume & 0x3f);
  b.writeUInt16BE(Math.min(duration, 0xffff), offset + 2);
}
