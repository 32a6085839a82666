/** RFC 3261 §17 timer base values (Appendix A). */
export interface TimerConfig {
  t1: number;
  t2: number;
  t4: number;
}

export const DEFAULT_TIMERS: TimerConfig = { t1: 500, t2: 4000, t4: 5000 };

/** 64·T1: Timers B, F, H, J and the 2xx ACK wait. */
export const sixtyFourT1 = (t: TimerConfig): number => 64 * t.t1;
