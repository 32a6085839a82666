import { digitToEvent } from '../rtp/dtmf.js';
import type { RtpSession } from '../rtp/rtp-session.js';
import { SAMPLES } from '../rtp/rtp-session.js';

interface Step {
  event: number;
  frames: number;
}

/**
 * send_dtmf `<digits>[@<ms>]` as RFC 4733 events, one packet per 20 ms tick: first packet with the
 * marker, growing duration, three end packets, then a 40 ms gap. `w`/`W` pause 0.5 s / 1 s.
 */
export class DtmfSender {
  private readonly steps: Array<Step | { pause: number }> = [];
  private cur: Step | undefined;
  private pos = 0;
  private eventTs = 0;
  private pause = 0;
  private endSent = 0;
  onDone: (() => void) | undefined;

  constructor(spec: string) {
    for (const group of spec.split('+')) {
      const [digits = '', ms] = group.split('@');
      const frames = Math.max(2, Math.round(Math.min(Math.max(Number(ms) || 100, 40), 8000) / 20));
      for (const d of digits) {
        if (d === 'w') this.steps.push({ pause: 25 });
        else if (d === 'W') this.steps.push({ pause: 50 });
        else {
          const event = digitToEvent(d);
          if (event !== undefined) this.steps.push({ event, frames }, { pause: 2 });
        }
      }
    }
  }

  /** One tick; returns false when everything has been sent. */
  step(rtp: RtpSession): boolean {
    if (this.pause > 0) {
      this.pause--;
      rtp.skipFrame();
      return true;
    }
    if (!this.cur) {
      const next = this.steps.shift();
      if (!next) {
        this.onDone?.();
        return false;
      }
      if ('pause' in next) {
        this.pause = next.pause - 1;
        rtp.skipFrame();
        return true;
      }
      this.cur = next;
      this.pos = 0;
      this.endSent = 0;
      this.eventTs = rtp.timestamp;
    }
    const c = this.cur;
    this.pos++;
    const duration = Math.min(this.pos, c.frames) * SAMPLES;
    if (this.pos < c.frames) rtp.sendDtmf(c.event, false, duration, this.pos === 1, this.eventTs);
    else {
      rtp.sendDtmf(c.event, true, duration, false, this.eventTs);
      if (++this.endSent >= 3) this.cur = undefined;
    }
    rtp.skipFrame();
    return true;
  }
}
