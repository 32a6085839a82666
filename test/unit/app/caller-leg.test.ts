import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type Srf from 'drachtio-srf';
import type Mrf from 'drachtio-fsmrf';
import { CallerLeg, CallerLegState } from '../../../src/app/calls/caller-leg.js';
import { IllegalLegTransition } from '../../../src/app/calls/leg-transition-error.js';

interface Sent {
  status: number;
  reason?: string;
  body?: string;
}

/** srf's response to the caller's INVITE: records what the leg sends. */
class FakeResponse {
  finalResponseSent = false;
  readonly sent: Sent[] = [];
  send(status: number, reason?: string | { body?: string }, opts?: { body?: string }): void {
    const r = typeof reason === 'string' ? reason : undefined;
    const body = opts?.body ?? (typeof reason === 'object' ? reason.body : undefined);
    this.sent.push({ status, ...(r !== undefined && { reason: r }), ...(body !== undefined && { body }) });
    if (status >= 200) this.finalResponseSent = true;
  }
}

/** srf.createUAS (or a media server's connectCaller): the test decides when and how the answer completes. */
class FakeAnswerer {
  calls = 0;
  private resolve!: (d: Srf.Dialog) => void;
  private reject!: (err: unknown) => void;
  constructor(private readonly res: FakeResponse) {}
  readonly srf = {
    createUAS: (() => {
      this.calls++;
      return new Promise<Srf.Dialog>((resolve, reject) => {
        this.resolve = resolve;
        this.reject = reject;
      });
    }) as unknown as Srf['createUAS'],
  };
  /** the 2xx goes out (srf sends it before the ACK resolves the dialog) */
  send2xx(): void {
    this.res.send(200, 'OK');
  }
  complete(): Srf.Dialog {
    const d = { id: 'dialog' } as unknown as Srf.Dialog;
    this.resolve(d);
    return d;
  }
  fail(): void {
    this.reject(new Error('ACK never came'));
  }
}

function callerLeg() {
  const req = Object.assign(new EventEmitter(), { body: 'v=0 caller', get: () => undefined, source_address: '192.0.2.10' });
  const res = new FakeResponse();
  const answerer = new FakeAnswerer(res);
  const leg = new CallerLeg(answerer.srf, req as unknown as Srf.SrfRequest, res as unknown as Srf.SrfResponse);
  const cancel = (): void => void req.emit('cancel');
  return { leg, res, answerer, cancel };
}

const settle = async (): Promise<void> => {
  await vi.advanceTimersByTimeAsync(0);
};

describe("the caller's leg (CallerLeg)", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    // the caller's leg owns no timer: ring times belong to the callee legs
    expect(vi.getTimerCount()).toBe(0);
    vi.useRealTimers();
  });

  describe('Offered', () => {
    it("starts Offered, offering the caller's SDP to the callee legs", () => {
      const { leg } = callerLeg();
      expect(leg.state).toBe(CallerLegState.Offered);
      expect(leg.offer).toBe('v=0 caller');
      expect(leg.gone).toBe(false);
    });

    it('a CANCEL before any final response answers the INVITE 487 and tells every listener, also late ones', () => {
      const { leg, res, cancel } = callerLeg();
      const heard: string[] = [];
      leg.onCancel(() => heard.push('first'));
      cancel();
      leg.onCancel(() => heard.push('late'));
      expect(leg.state).toBe(CallerLegState.Cancelled);
      expect(leg.gone).toBe(true);
      expect(res.sent).toEqual([{ status: 487 }]);
      expect(heard).toEqual(['first', 'late']);
    });

    it("a rejection sends one final response with the status's reason phrase; a second one is not sent", () => {
      const { leg, res } = callerLeg();
      leg.reject(486);
      leg.reject(503);
      expect(leg.state).toBe(CallerLegState.Rejected);
      expect(res.sent).toEqual([{ status: 486, reason: 'Busy Here' }]);
    });

    it('a final response sent by someone else holding the response (a 407 challenge) stops the leg sending another', () => {
      const { leg, res } = callerLeg();
      res.send(407, 'Proxy Authentication Required');
      leg.reject(403);
      leg.progress(180, 'Ringing', undefined);
      expect(res.sent).toHaveLength(1);
      expect(leg.finalSent).toBe(true);
    });
  });

  describe('Ringing and EarlyMedia', () => {
    it('ringing is relayed once, however many callee legs ring', () => {
      const { leg, res } = callerLeg();
      leg.progress(180, 'Ringing', undefined);
      leg.progress(180, 'Ringing', undefined);
      expect(leg.state).toBe(CallerLegState.Ringing);
      expect(res.sent).toEqual([{ status: 180, reason: 'Ringing' }]);
    });

    it('early media is relayed once, also after ringing, and nothing is relayed after it', () => {
      const { leg, res } = callerLeg();
      leg.progress(180, 'Ringing', undefined);
      leg.progress(183, 'Session Progress', 'v=0 early');
      leg.progress(183, 'Session Progress', 'v=0 other');
      leg.progress(180, 'Ringing', undefined);
      expect(leg.state).toBe(CallerLegState.EarlyMedia);
      expect(res.sent).toEqual([
        { status: 180, reason: 'Ringing' },
        { status: 183, reason: 'Session Progress', body: 'v=0 early' },
      ]);
    });

    it('a CANCEL while ringing answers 487; later progress and rejections send nothing', () => {
      const { leg, res, cancel } = callerLeg();
      leg.progress(180, 'Ringing', undefined);
      cancel();
      leg.progress(183, 'Session Progress', 'v=0 early');
      leg.reject(480);
      expect(res.sent.map((s) => s.status)).toEqual([180, 487]);
    });

    it('a leg that rang cannot go back to Offered', () => {
      const { leg } = callerLeg();
      leg.progress(180, 'Ringing', undefined);
      expect(() => leg.transition(CallerLegState.Offered)).toThrow(IllegalLegTransition);
    });
  });

  describe('Answering', () => {
    it("answering with the winner's SDP resolves the caller's dialog and the leg is Answered", async () => {
      const { leg, answerer } = callerLeg();
      leg.progress(180, 'Ringing', undefined);
      const answered = leg.answer('v=0 callee');
      expect(leg.state).toBe(CallerLegState.Answering);
      answerer.send2xx();
      const d = answerer.complete();
      await expect(answered).resolves.toBe(d);
      expect(leg.state).toBe(CallerLegState.Answered);
    });

    it('nothing is relayed or rejected while the answer is under way', () => {
      const { leg, res } = callerLeg();
      void leg.answer('v=0 callee');
      leg.progress(180, 'Ringing', undefined);
      leg.reject(480);
      expect(res.sent).toEqual([]);
    });

    it('a CANCEL that arrives before our 2xx ends the leg: 487, and the listeners hear it', () => {
      const { leg, res, cancel } = callerLeg();
      const heard = vi.fn();
      leg.onCancel(heard);
      void leg.answer('v=0 callee').catch(() => undefined);
      cancel();
      expect(leg.state).toBe(CallerLegState.Cancelled);
      expect(res.sent).toEqual([{ status: 487 }]);
      expect(heard).toHaveBeenCalledOnce();
    });

    it('a CANCEL after our 2xx has no effect (RFC 3261 §9.2): the answer completes', async () => {
      const { leg, answerer, cancel } = callerLeg();
      const heard = vi.fn();
      leg.onCancel(heard);
      const answered = leg.answer('v=0 callee');
      answerer.send2xx();
      cancel();
      answerer.complete();
      await answered;
      expect(leg.state).toBe(CallerLegState.Answered);
      expect(leg.gone).toBe(false);
      expect(heard).not.toHaveBeenCalled();
    });

    it('an answer that fails leaves the leg Failed; the caller can still be rejected', async () => {
      const { leg, res, answerer } = callerLeg();
      const answered = leg.answer('v=0 callee');
      answerer.fail();
      await expect(answered).rejects.toThrow('ACK never came');
      expect(leg.state).toBe(CallerLegState.Failed);
      leg.reject(487);
      expect(res.sent).toEqual([{ status: 487, reason: 'Request Terminated' }]);
    });

    it('a media server answers the caller through the same guard (connectTo)', async () => {
      const { leg, res } = callerLeg();
      const conn = { endpoint: {} as Mrf.Endpoint, dialog: {} as Srf.Dialog };
      const ms = { connectCaller: vi.fn(() => Promise.resolve(conn)) } as unknown as Mrf.MediaServer;
      await expect(leg.connectTo(ms)).resolves.toBe(conn);
      expect(leg.state).toBe(CallerLegState.Answered);
      await expect(leg.connectTo(ms)).rejects.toThrow('caller already gone');
      expect(res.sent).toEqual([]);
    });
  });

  describe('taken by a media server app (voicemail)', () => {
    it('is answered on the media server picked; with none connected, or once a final response went out, it is not (and none is picked)', async () => {
      const conn = { endpoint: {} as Mrf.Endpoint, dialog: {} as Srf.Dialog };
      const ms = { connectCaller: vi.fn(() => Promise.resolve(conn)) } as unknown as Mrf.MediaServer;
      const a = callerLeg();
      await expect(a.leg.takeOnMedia(() => undefined)).resolves.toBeUndefined();
      expect(a.leg.state).toBe(CallerLegState.Offered);
      await expect(a.leg.takeOnMedia(() => ms)).resolves.toBe(conn);
      expect(a.leg.state).toBe(CallerLegState.Answered);
      const b = callerLeg();
      b.leg.reject(486);
      const pick = vi.fn(() => ms);
      await expect(b.leg.takeOnMedia(pick)).resolves.toBeUndefined();
      const c = callerLeg();
      c.cancel();
      await expect(c.leg.takeOnMedia(pick)).resolves.toBeUndefined();
      expect(pick).not.toHaveBeenCalled();
    });
  });

  describe('Answered, Rejected and Cancelled (ended)', () => {
    it('an answered caller cannot be cancelled, only hung up (RFC 3261 §9.2): a late CANCEL changes nothing', async () => {
      const { leg, res, answerer, cancel } = callerLeg();
      const answered = leg.answer('v=0 callee');
      answerer.send2xx();
      answerer.complete();
      await answered;
      cancel();
      expect(leg.state).toBe(CallerLegState.Answered);
      expect(res.sent.map((s) => s.status)).toEqual([200]);
      expect(() => leg.transition(CallerLegState.Cancelled)).toThrow(expect.objectContaining({ code: 'ILLEGAL_LEG_TRANSITION', leg: 'caller', from: 'answered', to: 'cancelled' }));
    });

    it('a caller who left is not answered: answer() rejects and srf is never asked', async () => {
      const { leg, answerer, cancel } = callerLeg();
      cancel();
      await expect(leg.answer('v=0 callee')).rejects.toThrow('caller already gone');
      expect(answerer.calls).toBe(0);
    });

    it('a rejected caller is neither answered nor cancelled', async () => {
      const { leg, res, cancel } = callerLeg();
      leg.reject(404);
      cancel();
      await expect(leg.answer('v=0 callee')).rejects.toThrow('caller already gone');
      await settle();
      expect(leg.state).toBe(CallerLegState.Rejected);
      expect(res.sent).toEqual([{ status: 404, reason: 'Not Found' }]);
    });

    it('no transition leaves an ended leg', () => {
      const { leg, cancel } = callerLeg();
      cancel();
      for (const to of Object.values(CallerLegState)) expect(() => leg.transition(to)).toThrow(IllegalLegTransition);
    });
  });
});
