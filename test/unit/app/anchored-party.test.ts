import { describe, expect, it } from 'vitest';
import type Srf from 'drachtio-srf';
import type Mrf from 'drachtio-fsmrf';
import type { CallerLeg } from '../../../src/app/calls/caller-leg.js';
import { AnchoredParty, AnchorState } from '../../../src/app/media/anchored-party.js';
import { IllegalLegTransition } from '../../../src/app/calls/leg-transition-error.js';

/** A media server endpoint as fsmrf shows it: records what the party asks of it; `refuse` makes modify fail. */
class FakeEndpoint {
  readonly calls: string[] = [];
  refuse = false;
  constructor(readonly uuid: string) {}
  get local(): { sdp: string } {
    return { sdp: `v=0 ${this.uuid}` };
  }
  modify(sdp: string): Promise<void> {
    this.calls.push(`modify ${sdp}`);
    return this.refuse ? Promise.reject(new Error('488 Not Acceptable Here')) : Promise.resolve();
  }
  bridge(other: FakeEndpoint): Promise<void> {
    this.calls.push(`bridge ${other.uuid}`);
    return Promise.resolve();
  }
}

/** The caller's INVITE: records what is relayed to it. */
class FakeCaller {
  readonly sent: string[] = [];
  gone = false;
  progress(status: number, reason: string, sdp: string | undefined): void {
    this.sent.push(`${status} ${reason}${sdp === undefined ? '' : ` [${sdp}]`}`);
  }
  answer(sdp: string): Promise<Srf.Dialog> {
    this.sent.push(`200 [${sdp}]`);
    return Promise.resolve({ id: 'caller-dialog' } as unknown as Srf.Dialog);
  }
  onCancel(): void {}
  takeOnMedia(): Promise<{ endpoint: string; dialog: string }> {
    this.sent.push('taken by a media server app');
    return Promise.resolve({ endpoint: 'voicemail-ep', dialog: 'voicemail-dialog' });
  }
}

function anchored(): { party: AnchoredParty; caller: FakeCaller; callerEp: FakeEndpoint; calleeEp: FakeEndpoint } {
  const caller = new FakeCaller();
  const callerEp = new FakeEndpoint('caller-ep');
  const calleeEp = new FakeEndpoint('callee-ep');
  const party = new AnchoredParty(caller as unknown as CallerLeg, callerEp as unknown as Mrf.Endpoint, calleeEp as unknown as Mrf.Endpoint);
  return { party, caller, callerEp, calleeEp };
}

const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('an anchored (recorded) call as a ringing party (explicit state machine)', () => {
  describe('Apart', () => {
    it('offers the callee endpoint to the callee legs; ringing without SDP is relayed as ringing, the endpoints stay apart', () => {
      const { party, caller, callerEp } = anchored();
      expect(party.offer).toBe('v=0 callee-ep');
      party.progress(180, 'Ringing', undefined);
      expect(caller.sent).toEqual(['180 Ringing']);
      expect(party.state).toBe(AnchorState.Apart);
      expect(callerEp.calls).toEqual([]);
    });

    it('an answer without early media points the callee endpoint at the answer, bridges, then answers the caller with its own endpoint', async () => {
      const { party, caller, callerEp, calleeEp } = anchored();
      await party.answer('v=0 callee-answer');
      expect(calleeEp.calls).toEqual(['modify v=0 callee-answer']);
      expect(callerEp.calls).toEqual(['bridge callee-ep']);
      expect(caller.sent).toEqual(['200 [v=0 caller-ep]']);
      expect(party.state).toBe(AnchorState.Answered);
    });
  });

  describe('Joining', () => {
    it("a callee's 183 with SDP bridges the endpoints first, then relays the 183 with the caller endpoint's SDP (never the callee's)", async () => {
      const { party, caller, callerEp, calleeEp } = anchored();
      party.progress(183, 'Session Progress', 'v=0 callee-early');
      expect(party.state).toBe(AnchorState.Joining);
      expect(caller.sent).toEqual([]);
      await settle();
      expect(calleeEp.calls).toEqual(['modify v=0 callee-early']);
      expect(callerEp.calls).toEqual(['bridge callee-ep']);
      expect(caller.sent).toEqual(['183 Session Progress [v=0 caller-ep]']);
      expect(party.state).toBe(AnchorState.JoinedEarly);
    });

    it('an answer arriving while the early join is under way waits for it and does not bridge twice', async () => {
      const { party, caller, callerEp, calleeEp } = anchored();
      party.progress(183, 'Session Progress', 'v=0 callee-early');
      await party.answer('v=0 callee-early');
      expect(calleeEp.calls).toEqual(['modify v=0 callee-early']);
      expect(callerEp.calls).toEqual(['bridge callee-ep']);
      expect(caller.sent).toEqual(['183 Session Progress [v=0 caller-ep]', '200 [v=0 caller-ep]']);
    });

    it('the media server refusing the early SDP: the caller is told of ringing instead and the answer joins the endpoints', async () => {
      const { party, caller, callerEp, calleeEp } = anchored();
      calleeEp.refuse = true;
      party.progress(183, 'Session Progress', 'v=0 garbage');
      await settle();
      expect(party.state).toBe(AnchorState.Apart);
      expect(caller.sent).toEqual(['180 Ringing']);
      expect(callerEp.calls).toEqual([]);
      calleeEp.refuse = false;
      await party.answer('v=0 callee-answer');
      expect(callerEp.calls).toEqual(['bridge callee-ep']);
      expect(caller.sent.at(-1)).toBe('200 [v=0 caller-ep]');
    });
  });

  describe('JoinedEarly', () => {
    it('later provisionals, with or without SDP, are relayed without SDP and change nothing', async () => {
      const { party, caller, calleeEp } = anchored();
      party.progress(183, 'Session Progress', 'v=0 callee-early');
      await settle();
      party.progress(183, 'Session Progress', 'v=0 callee-other');
      party.progress(180, 'Ringing', undefined);
      expect(caller.sent.slice(1)).toEqual(['183 Session Progress', '180 Ringing']);
      expect(calleeEp.calls).toEqual(['modify v=0 callee-early']);
      expect(party.state).toBe(AnchorState.JoinedEarly);
    });

    it('an answer with the early SDP answers the caller at once; one with another SDP re-points the callee endpoint, the bridge stays', async () => {
      const same = anchored();
      same.party.progress(183, 'Session Progress', 'v=0 callee-early');
      await settle();
      await same.party.answer('v=0 callee-early');
      expect(same.calleeEp.calls).toEqual(['modify v=0 callee-early']);
      expect(same.callerEp.calls).toEqual(['bridge callee-ep']);

      const other = anchored();
      other.party.progress(183, 'Session Progress', 'v=0 callee-early');
      await settle();
      await other.party.answer('v=0 callee-answer');
      expect(other.calleeEp.calls).toEqual(['modify v=0 callee-early', 'modify v=0 callee-answer']);
      expect(other.callerEp.calls).toEqual(['bridge callee-ep']);
      expect(other.caller.sent.at(-1)).toBe('200 [v=0 caller-ep]');
    });
  });

  describe('voicemail', () => {
    it('apart, the caller itself is handed to voicemail (answered on its own endpoint there)', async () => {
      const { party, caller } = anchored();
      party.progress(180, 'Ringing', undefined);
      expect(await party.takeOnMedia(() => undefined)).toEqual({ endpoint: 'voicemail-ep', dialog: 'voicemail-dialog' });
      expect(caller.sent).toEqual(['180 Ringing', 'taken by a media server app']);
    });

    it("after early media it is not: the caller holds the caller endpoint's SDP", async () => {
      const { party, caller } = anchored();
      party.progress(183, 'Session Progress', 'v=0 callee-early');
      await settle();
      expect(await party.takeOnMedia(() => undefined)).toBeUndefined();
      expect(caller.sent).toEqual(['183 Session Progress [v=0 caller-ep]']);
    });
  });

  describe('Answered', () => {
    it('a second answer is a bug: an illegal transition, nothing sent', async () => {
      const { party, caller } = anchored();
      await party.answer('v=0 callee-answer');
      await expect(party.answer('v=0 again')).rejects.toBeInstanceOf(IllegalLegTransition);
      expect(caller.sent).toEqual(['200 [v=0 caller-ep]']);
    });

    it('a caller already gone is not answered', async () => {
      const { party, caller } = anchored();
      caller.gone = true;
      await expect(party.answer('v=0 callee-answer')).rejects.toThrow(/gone/);
      expect(caller.sent).toEqual([]);
    });
  });
});
