import type { Logger } from 'pino';
import type { CallRecord } from './calls/call-record.js';

/** What one minute held, as the summary line reports it. */
export interface TrafficCounts {
  registrations: number;
  registrationsRefused: number;
  registrationsFailed: number;
  calls: number;
  callsAnswered: number;
  callsFailed: number;
}

/**
 * Counters of routine traffic, logged as one info line a minute: routine successes are logged
 * at debug only, so this line is what shows at info that registrations and calls go on. Plain
 * number increments: nothing is allocated per message.
 */
export class TrafficSummary {
  registrations = 0;
  registrationsRefused = 0;
  registrationsFailed = 0;
  calls = 0;
  callsAnswered = 0;
  callsFailed = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly log: Logger,
    /** fields added to each line (the store's state, for instance) */
    private readonly extra: () => Record<string, unknown> = () => ({}),
  ) {}

  /** A call listener: every finished call counts once. */
  readonly onRecord = (record: Readonly<CallRecord>): void => {
    this.calls++;
    if (record.answeredAt !== undefined) this.callsAnswered++;
    else if ((record.finalStatus ?? 500) >= 500) this.callsFailed++;
  };

  start(everyMs = 60_000): void {
    this.timer ??= setInterval(() => this.emit(), everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Logs the counts since the last line (nothing when nothing happened) and starts again from 0. */
  emit(): TrafficCounts {
    const counts = this.take();
    if (Object.values(counts).some((n) => n > 0)) this.log.info({ ...counts, ...this.extra() }, 'traffic in the last minute');
    return counts;
  }

  private take(): TrafficCounts {
    const counts = {
      registrations: this.registrations,
      registrationsRefused: this.registrationsRefused,
      registrationsFailed: this.registrationsFailed,
      calls: this.calls,
      callsAnswered: this.callsAnswered,
      callsFailed: this.callsFailed,
    };
    this.registrations = this.registrationsRefused = this.registrationsFailed = this.calls = this.callsAnswered = this.callsFailed = 0;
    return counts;
  }
}
