import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type Srf from 'drachtio-srf';
import { UacLeg, UacLegState, type LegResult, type UacSrf } from '../../../src/app/calls/uac-leg.js';
import { IllegalLegTransition } from '../../../src/app/calls/leg-transition-error.js';

/** srf.createUAC as the leg sees it: the test plays the far end (request sent, provisionals, final). */
class FakeUac {
  cancels = 0;
  private cbRequest?: (err: unknown, req?: { cancel(cb: (err: unknown) => void): void }) => void;
  private cbProvisional?: (res: { status: number; reason: string; body?: string }) => void;
  private resolve!: (d: Srf.Dialog) => void;
  private reject!: (err: unknown) => void;

  readonly srf: UacSrf = {
    createUAC: ((_uri: string, _opts: unknown, progress: { cbRequest: FakeUac['cbRequest']; cbProvisional: FakeUac['cbProvisional'] }) => {
      this.cbRequest = progress.cbRequest;
      this.cbProvisional = progress.cbProvisional;
      return new Promise<Srf.Dialog>((resolve, reject) => {
        this.resolve = resolve;
        this.reject = reject;
      });
    }) as unknown as UacSrf['createUAC'],
  };

  /** the INVITE is on the wire */
  sent(): void {
    this.cbRequest?.(null, { cancel: () => void this.cancels++ });
  }

  provisional(status = 180, body?: string): void {
    this.cbProvisional?.({ status, reason: status === 180 ? 'Ringing' : 'Session Progress', ...(body !== undefined && { body }) });
  }

  answer(): FakeDialog {
    const d = new FakeDialog();
    this.resolve(d as unknown as Srf.Dialog);
    return d;
  }

  fail(status?: number, reason?: string): void {
    this.reject(status === undefined ? new Error('send failed') : { status, reason });
  }
}

class FakeDialog {
  destroyed = 0;
  destroy(): void {
    this.destroyed++;
  }
}

const target = { uri: 'sip:100@192.0.2.7:5062', headers: {}, localSdp: 'v=0' };

/** Lets the promise callbacks the leg chained on srf's promise run. */
const settle = async (): Promise<void> => {
  await vi.advanceTimersByTimeAsync(0);
};

function leg(timers: { firstResponseTimeoutMs?: number; ringTimeoutMs?: number } = {}, onProvisional?: (status: number, reason: string, sdp: string | undefined) => void) {
  const far = new FakeUac();
  const l = new UacLeg(far.srf, target, onProvisional ? { onProvisional } : {}, timers);
  const results: LegResult[] = [];
  void l.result.then((r) => results.push(r));
  return { far, l, results };
}

describe('an outgoing call leg (UacLeg)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  describe('Calling (handed to srf, not on the wire)', () => {
    it('starts in Calling and moves to Trying once the INVITE is on the wire', () => {
      const { far, l } = leg();
      expect(l.state).toBe(UacLegState.Calling);
      far.sent();
      expect(l.state).toBe(UacLegState.Trying);
    });

    it('a leg given up before its INVITE is on the wire sends its CANCEL when it gets there, once', async () => {
      const { far, l, results } = leg();
      l.abandon();
      expect(l.state).toBe(UacLegState.Abandoned);
      expect(far.cancels).toBe(0);
      far.sent();
      expect(far.cancels).toBe(1);
      far.provisional();
      expect(far.cancels).toBe(1);
      far.fail(487, 'Request Terminated');
      await settle();
      expect(l.state).toBe(UacLegState.Cancelled);
      expect(results).toEqual([{ kind: 'failed', status: 487, reason: 'Request Terminated', local: false, abandoned: true }]);
    });

    it('a send error is a local failure: 503, nothing from the far end', async () => {
      const { far, l, results } = leg();
      far.fail();
      await settle();
      expect(l.state).toBe(UacLegState.Failed);
      expect(results[0]).toMatchObject({ kind: 'failed', status: 503, local: true, abandoned: false });
    });
  });

  describe('Trying (on the wire, no provisional)', () => {
    it('no first response within the trunk timeout: the leg is cancelled and fails 408 at once, without waiting for the 487', async () => {
      const { far, l, results } = leg({ firstResponseTimeoutMs: 2000 });
      far.sent();
      await vi.advanceTimersByTimeAsync(1999);
      expect(results).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      expect(l.state).toBe(UacLegState.Expired);
      expect(far.cancels).toBe(1);
      expect(results).toEqual([{ kind: 'failed', status: 408, reason: 'Request Timeout', local: false, abandoned: false, timer: 'first-response' }]);
      far.fail(487, 'Request Terminated');
      await settle();
      expect(l.state).toBe(UacLegState.Cancelled);
      expect(results).toHaveLength(1);
    });

    it('a final failure from the far end ends the leg with its status and clears its timers', async () => {
      const { far, l, results } = leg({ firstResponseTimeoutMs: 2000, ringTimeoutMs: 5000 });
      far.sent();
      far.fail(486, 'Busy Here');
      await settle();
      expect(l.state).toBe(UacLegState.Failed);
      expect(results).toEqual([{ kind: 'failed', status: 486, reason: 'Busy Here', local: false, abandoned: false }]);
      expect(vi.getTimerCount()).toBe(0);
    });

    it('a leg given up by its owner before any response is still bounded by its first-response timer', async () => {
      const { far, l, results } = leg({ firstResponseTimeoutMs: 2000 });
      far.sent();
      l.abandon();
      expect(far.cancels).toBe(1);
      await vi.advanceTimersByTimeAsync(2000);
      expect(results).toEqual([{ kind: 'failed', status: 408, reason: 'Request Timeout', local: false, abandoned: true, timer: 'first-response' }]);
      expect(far.cancels).toBe(1);
    });
  });

  describe('Ringing (a provisional arrived)', () => {
    it('a provisional response clears the first-response timer and is relayed to the owner with its SDP', async () => {
      const seen: Array<[number, string | undefined]> = [];
      const { far, l, results } = leg({ firstResponseTimeoutMs: 2000 }, (status, _r, sdp) => seen.push([status, sdp]));
      far.sent();
      far.provisional(183, 'v=0 early');
      far.provisional(180);
      expect(l.state).toBe(UacLegState.Ringing);
      expect(seen).toEqual([
        [183, 'v=0 early'],
        [180, undefined],
      ]);
      await vi.advanceTimersByTimeAsync(10_000);
      expect(results).toEqual([]);
      expect(vi.getTimerCount()).toBe(0);
    });

    it('ring timeout in Ringing cancels the leg and fails it 480 no answer at once', async () => {
      const { far, l, results } = leg({ firstResponseTimeoutMs: 2000, ringTimeoutMs: 20_000 });
      far.sent();
      far.provisional();
      await vi.advanceTimersByTimeAsync(20_000);
      expect(l.state).toBe(UacLegState.Expired);
      expect(far.cancels).toBe(1);
      expect(results).toEqual([{ kind: 'failed', status: 480, reason: 'No Answer', local: false, abandoned: false, timer: 'no-answer' }]);
    });

    it('the ring timeout counts from the INVITE, also for a leg that never rang', async () => {
      const { far, results } = leg({ ringTimeoutMs: 20_000 });
      far.sent();
      await vi.advanceTimersByTimeAsync(20_000);
      expect(results[0]).toMatchObject({ status: 480, timer: 'no-answer' });
    });

    it('a leg given up while ringing sends one CANCEL and reports the 487 as abandoned', async () => {
      const { far, l, results } = leg();
      far.sent();
      far.provisional();
      l.abandon();
      l.abandon();
      expect(l.state).toBe(UacLegState.Cancelling);
      expect(far.cancels).toBe(1);
      far.provisional(); // a retransmitted 180 crossing the CANCEL is not relayed
      far.fail(487, 'Request Terminated');
      await settle();
      expect(results[0]).toMatchObject({ kind: 'failed', status: 487, abandoned: true });
    });

    it('a 2xx that crosses the CANCEL is hung up by the leg, and the owner hears 487', async () => {
      const { far, l, results } = leg();
      far.sent();
      far.provisional();
      l.abandon();
      const d = far.answer();
      await settle();
      expect(d.destroyed).toBe(1);
      expect(l.state).toBe(UacLegState.Cancelled);
      expect(results).toEqual([{ kind: 'failed', status: 487, reason: 'Request Terminated', local: false, abandoned: true }]);
    });

    it('a 2xx after the ring timeout is hung up by the leg; the owner keeps the 480', async () => {
      const { far, results } = leg({ ringTimeoutMs: 1000 });
      far.sent();
      far.provisional();
      await vi.advanceTimersByTimeAsync(1000);
      const d = far.answer();
      await settle();
      expect(d.destroyed).toBe(1);
      expect(results).toEqual([expect.objectContaining({ status: 480, timer: 'no-answer' })]);
    });
  });

  describe('Answered', () => {
    it('a 2xx hands the dialog to the owner and clears every timer', async () => {
      const { far, l, results } = leg({ firstResponseTimeoutMs: 2000, ringTimeoutMs: 20_000 });
      far.sent();
      far.provisional();
      const d = far.answer();
      await settle();
      expect(l.state).toBe(UacLegState.Answered);
      expect(results).toEqual([{ kind: 'answered', dialog: d }]);
      expect(vi.getTimerCount()).toBe(0);
      expect(d.destroyed).toBe(0);
    });

    it('a leg that was answered cannot be cancelled, only hung up (RFC 3261 §9.1)', async () => {
      const { far, l } = leg();
      far.sent();
      far.answer();
      await settle();
      l.abandon();
      expect(l.state).toBe(UacLegState.Answered);
      expect(far.cancels).toBe(0);
      expect(() => l.transition(UacLegState.Cancelling)).toThrow(IllegalLegTransition);
      try {
        l.transition(UacLegState.Cancelling);
      } catch (err) {
        expect(err).toMatchObject({ code: 'ILLEGAL_LEG_TRANSITION', leg: 'uac', from: 'answered', to: 'cancelling' });
      }
    });
  });

  describe('Failed and Cancelled (ended)', () => {
    it('an ended leg goes nowhere: giving it up does nothing, and no transition leaves it', async () => {
      const { far, l } = leg();
      far.sent();
      far.fail(404, 'Not Found');
      await settle();
      l.abandon();
      expect(l.state).toBe(UacLegState.Failed);
      expect(far.cancels).toBe(0);
      for (const to of Object.values(UacLegState)) expect(() => l.transition(to)).toThrow(IllegalLegTransition);
    });

    it('a leg cannot go back to ringing once it was given up', () => {
      const { far, l } = leg();
      far.sent();
      l.abandon();
      expect(() => l.transition(UacLegState.Ringing)).toThrow(/no transition from abandoned to ringing/);
    });
  });
});
