import type { Logger } from 'pino';
import type { Admission } from '../../app/admission.js';
import type { CallTable } from '../../app/calls/call-table.js';
import type { DrainConfig } from '../../config/index.js';
import { DrainState, DrainStateMachine } from './drain-state.js';

export interface DrainDeps {
  admission: Admission;
  calls: CallTable;
  config: DrainConfig;
  log: Logger;
  /** stops everything (engine, stores, listeners) */
  stop: () => Promise<void>;
}

const POLL_MS = 100;
/** after the BYEs, how long the hung-up calls get to finish their records */
const HANGUP_GRACE_MS = 2000;

/**
 * The graceful stop: close admission, wait for live calls up to `drain.seconds`, hang up the
 * rest, then stop. `stopNow` (a second signal) cuts the wait short and stops at once.
 */
export class Drainer {
  private readonly machine = new DrainStateMachine();
  private wake: (() => void) | undefined;
  private stopping: Promise<void> | undefined;

  constructor(private readonly deps: DrainDeps) {}

  get state(): DrainState {
    return this.machine.state;
  }

  /** Drains, then stops; a second call returns the same drain. */
  drain(): Promise<void> {
    if (this.machine.state !== DrainState.Serving) return this.stopping ?? Promise.resolve();
    this.machine.moveTo(DrainState.Draining);
    this.stopping = this.run();
    return this.stopping;
  }

  /** Stops at once, during a drain or without one. */
  stopNow(): Promise<void> {
    if (this.machine.state === DrainState.Draining) {
      this.deps.log.info({ liveCalls: this.deps.calls.list().length }, 'drain cut short: stopping now');
      this.wake?.();
      return this.stopping ?? Promise.resolve();
    }
    if (this.machine.state === DrainState.Serving) {
      this.machine.moveTo(DrainState.Stopping);
      this.stopping = this.deps.stop();
    }
    return this.stopping ?? Promise.resolve();
  }

  private async run(): Promise<void> {
    const { admission, calls, config, log } = this.deps;
    admission.close(config.retryAfterSeconds);
    log.info({ liveCalls: calls.list().length, seconds: config.seconds, retryAfterSeconds: config.retryAfterSeconds }, 'drain started: new calls get 503');
    const cut = new Promise<void>((resolve) => (this.wake = resolve));
    let cutShort = false;
    void cut.then(() => (cutShort = true));
    await Promise.race([this.callsEnded(config.seconds * 1000), cut]);
    if (!cutShort) {
      const remaining = calls.list();
      for (const call of remaining) {
        const ended = calls.hangUp(call.callId);
        log.info({ callId: call.callId, tenant: call.tenant, caller: call.caller, dialled: call.dialled, hungUp: ended }, 'drain: call ended at the end of the drain window');
      }
      if (remaining.length > 0) await Promise.race([this.callsEnded(HANGUP_GRACE_MS), cut]);
    }
    this.machine.moveTo(DrainState.Stopping);
    log.info({ liveCalls: calls.list().length, cutShort }, 'drain finished');
    await this.deps.stop();
  }

  /** Settles when no call is live, or after `ms`. */
  private async callsEnded(ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    while (this.deps.calls.list().length > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, Math.min(POLL_MS, Math.max(1, deadline - Date.now()))));
    }
  }
}
