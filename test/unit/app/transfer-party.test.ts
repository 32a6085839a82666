import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type Srf from 'drachtio-srf';
import type Mrf from 'drachtio-fsmrf';
import { TransferParty, TransferState } from '../../../src/app/media/transfer-party.js';

/** The media server endpoints as fsmrf shows them: records what the transfer asks of them. */
class FakeEndpoint {
  readonly calls: string[] = [];
  readonly local = { sdp: 'v=0 callee-endpoint' };
  readonly uuid: string;
  constructor(name: string) {
    this.uuid = `${name}-uuid`;
  }
  play(file: string): Promise<void> {
    this.calls.push(`play ${file}`);
    return new Promise(() => undefined); // ringback plays until broken
  }
  api(cmd: string, args: string): Promise<void> {
    this.calls.push(`api ${cmd} ${args}`);
    return Promise.resolve();
  }
  modify(sdp: string): Promise<void> {
    this.calls.push(`modify ${sdp}`);
    return Promise.resolve();
  }
  bridge(other: FakeEndpoint): Promise<void> {
    this.calls.push(`bridge ${other.uuid}`);
    return Promise.resolve();
  }
}

function transfer(): { party: TransferParty; caller: EventEmitter; callerEp: FakeEndpoint; calleeEp: FakeEndpoint } {
  const caller = new EventEmitter();
  const callerEp = new FakeEndpoint('caller');
  const calleeEp = new FakeEndpoint('callee');
  const party = new TransferParty(caller as unknown as Srf.Dialog, callerEp as unknown as Mrf.Endpoint, calleeEp as unknown as Mrf.Endpoint);
  return { party, caller, callerEp, calleeEp };
}

describe('an IVR transfer as a ringing party (explicit state machine)', () => {
  describe('Waiting', () => {
    it('offers the second endpoint to the callee legs and plays nothing yet', () => {
      const { party, callerEp } = transfer();
      expect(party.state).toBe(TransferState.Waiting);
      expect(party.offer).toBe('v=0 callee-endpoint');
      expect(callerEp.calls).toEqual([]);
    });

    it("a callee ringing starts ringback on the caller's endpoint, once however many legs ring", () => {
      const { party, callerEp } = transfer();
      party.progress();
      party.progress();
      expect(party.state).toBe(TransferState.Ringback);
      expect(callerEp.calls.filter((c) => c.startsWith('play'))).toHaveLength(1);
    });

    it('an answer without ringing joins the endpoints: the callee endpoint takes the answer, then the bridge', async () => {
      const { party, callerEp, calleeEp, caller } = transfer();
      const dialog = await party.answer('v=0 callee-answer');
      expect(dialog).toBe(caller);
      expect(calleeEp.calls).toEqual(['modify v=0 callee-answer']);
      expect(callerEp.calls).toEqual(['bridge callee-uuid']);
      expect(party.state).toBe(TransferState.Bridged);
    });
  });

  describe('Ringback', () => {
    it('the answer breaks the ringback before the bridge', async () => {
      const { party, callerEp } = transfer();
      party.progress();
      await party.answer('v=0 a');
      expect(callerEp.calls[0]).toMatch(/^play /);
      expect(callerEp.calls.slice(1)).toEqual(['api uuid_break caller-uuid all', 'bridge callee-uuid']);
      expect(party.state).toBe(TransferState.Bridged);
    });

    it('a failed transfer stops the ringback and waits again (the caller goes back to the menu)', async () => {
      const { party, callerEp } = transfer();
      party.progress();
      await party.stopRingback();
      expect(party.state).toBe(TransferState.Waiting);
      expect(callerEp.calls.at(-1)).toBe('api uuid_break caller-uuid all');
      await party.stopRingback();
      expect(callerEp.calls.filter((c) => c.startsWith('api'))).toHaveLength(1);
    });
  });

  describe('HandedOver', () => {
    it('voicemail takes a caller nothing rang for where it is: its own endpoint and dialog, nothing played or bridged', async () => {
      const { party, caller, callerEp } = transfer();
      const taken = await party.takeOnMedia();
      expect(taken).toEqual({ endpoint: callerEp, dialog: caller });
      expect(party.state).toBe(TransferState.HandedOver);
      expect(callerEp.calls).toEqual([]);
    });

    it('voicemail after ringing (no answer) breaks the ringback first', async () => {
      const { party, callerEp } = transfer();
      party.progress();
      await party.takeOnMedia();
      expect(callerEp.calls.slice(1)).toEqual(['api uuid_break caller-uuid all']);
      expect(party.state).toBe(TransferState.HandedOver);
    });

    it('a caller bridged or gone is not handed over; one handed over may still hang up', async () => {
      const bridged = transfer();
      await bridged.party.answer('v=0');
      expect(await bridged.party.takeOnMedia()).toBeUndefined();
      expect(bridged.party.state).toBe(TransferState.Bridged);
      const left = transfer();
      left.caller.emit('destroy');
      expect(await left.party.takeOnMedia()).toBeUndefined();
      const handed = transfer();
      await handed.party.takeOnMedia();
      handed.caller.emit('destroy');
      expect(handed.party.state).toBe(TransferState.CallerGone);
    });
  });

  describe('CallerGone', () => {
    it('the caller hanging up while it rang cancels every callee leg, listeners added later too', () => {
      const { party, caller } = transfer();
      const cancelled: string[] = [];
      party.onCancel(() => cancelled.push('a'));
      party.progress();
      caller.emit('destroy');
      party.onCancel(() => cancelled.push('b'));
      expect(party.state).toBe(TransferState.CallerGone);
      expect(party.gone).toBe(true);
      expect(cancelled).toEqual(['a', 'b']);
    });

    it('nothing rings and nothing is answered once the caller has gone', async () => {
      const { party, caller, callerEp } = transfer();
      caller.emit('destroy');
      party.progress();
      expect(callerEp.calls).toEqual([]);
      await expect(party.answer('v=0')).rejects.toThrow('caller already gone');
    });
  });

  describe('Bridged', () => {
    it('the caller hanging up after the bridge ends the transfer; ringing again is not possible', async () => {
      const { party, caller, callerEp } = transfer();
      await party.answer('v=0');
      party.progress();
      expect(callerEp.calls.filter((c) => c.startsWith('play'))).toHaveLength(0);
      caller.emit('destroy');
      expect(party.state).toBe(TransferState.CallerGone);
    });
  });
});
