import { MediaError } from '../errors.js';

/** Life of a channel: a table of allowed transitions and one guarded transition function. */
export enum ChannelState {
  /** INVITE received, 200 sent, waiting for the ACK (3pcc) */
  Ringing = 'RINGING',
  /** answered and media flowing; dialplan / outbound socket running */
  Active = 'ACTIVE',
  /** hangup started: BYE sent or received, events being fired */
  Hangup = 'HANGUP',
  /** every resource released */
  Destroyed = 'DESTROYED',
}

const ALLOWED: Record<ChannelState, readonly ChannelState[]> = {
  [ChannelState.Ringing]: [ChannelState.Active, ChannelState.Hangup],
  [ChannelState.Active]: [ChannelState.Hangup],
  [ChannelState.Hangup]: [ChannelState.Destroyed],
  [ChannelState.Destroyed]: [],
};

export function canTransition(from: ChannelState, to: ChannelState): boolean {
  return ALLOWED[from].includes(to);
}

export function transition(from: ChannelState, to: ChannelState): ChannelState {
  if (!canTransition(from, to)) throw new MediaError('MEDIA_BAD_TRANSITION', `channel cannot go from ${from} to ${to}`);
  return to;
}

/** FreeSWITCH names used in events for each state. */
export function fsChannelState(s: ChannelState): { state: string; number: number; callState: string; answerState: string } {
  switch (s) {
    case ChannelState.Ringing:
      return { state: 'CS_CONSUME_MEDIA', number: 7, callState: 'RINGING', answerState: 'ringing' };
    case ChannelState.Active:
      return { state: 'CS_EXECUTE', number: 4, callState: 'ACTIVE', answerState: 'answered' };
    case ChannelState.Hangup:
      return { state: 'CS_HANGUP', number: 10, callState: 'HANGUP', answerState: 'hangup' };
    case ChannelState.Destroyed:
      return { state: 'CS_DESTROY', number: 12, callState: 'HANGUP', answerState: 'hangup' };
  }
}
