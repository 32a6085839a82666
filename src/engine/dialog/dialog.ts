import type { Hop } from '../transaction/types.js';
import type { ServerTransaction } from '../transaction/server-transaction.js';
import type { LocalPoint } from '../core/local-point.js';
import type { SessionTimer } from './session-timer.js';
import type { ReliableProvisionals } from '../transaction/reliable-provisionals.js';
import { IllegalTransitionError } from '../transaction/transition-error.js';

export type DialogRole = 'uas' | 'uac';

/** RFC 3261 §12: a dialog is early until a 2xx confirms it, and ends with BYE, a non-2xx, CANCEL or a timeout. */
export enum DialogState {
  Early = 'early',
  Confirmed = 'confirmed',
  Terminated = 'terminated',
}

const D = DialogState;

const NEXT: Record<DialogState, readonly DialogState[]> = {
  [D.Early]: [D.Confirmed, D.Terminated],
  [D.Confirmed]: [D.Terminated],
  // a UAC early dialog we ended (the app cancelled, or went away) whose INVITE still gets a 2xx:
  // that 2xx creates the dialog, which the engine then acknowledges and ends (RFC 3261 §9.1, §15)
  [D.Terminated]: [D.Confirmed],
};

/** Per-dialog state (RFC 3261 §12) as the engine keeps it on behalf of the owning app. */
export class Dialog {
  private current = D.Early;
  /** UAC: runs while the app has not acknowledged a 2xx (see outgoing-responses) */
  private appAckTimer: NodeJS.Timeout | undefined;
  remoteTag = '';
  /** full From/To header values as they appear on requests we send in this dialog */
  localParty: string;
  remoteParty: string;
  localContact = '';
  remoteTarget: string | undefined;
  routeSet: string[] = [];
  localSeq: number;
  remoteSeq = 0;
  /** CSeq number of the latest INVITE we sent (for the app's ACK) */
  inviteSeq = 0;
  /** the final status of our latest INVITE in this dialog */
  inviteStatus = 0;
  /** stored ACK for re-sending on retransmitted 2xx */
  ackRaw: Buffer | undefined;
  ackHop: Hop | undefined;
  /** the app cancelled the INVITE: its ACK of a late 2xx is followed by a BYE (§6.4.3) */
  cancelled = false;
  /** UAS: the server transaction whose 2xx waits for the ACK */
  ackWait: ServerTransaction | undefined;
  /** UAS: reliable provisionals of the dialog-creating INVITE, matched by incoming PRACKs (RFC 3262) */
  reliable: ReliableProvisionals | undefined;
  /** RFC 4028, once a 2xx negotiated Session-Expires */
  sessionTimer: SessionTimer | undefined;
  /** the SDP we last offered or answered; a refreshing re-INVITE carries it again */
  localBody: { contentType: string; body: Buffer } | undefined;
  /** created by a SUBSCRIBE: a NOTIFY with `Subscription-State: terminated` ends it (§6.2) */
  subscription = false;

  constructor(
    readonly id: string,
    readonly callId: string,
    readonly localTag: string,
    readonly role: DialogRole,
    /** connection id of the app that owns the dialog */
    public owner: string,
    /** where in-dialog requests go when there is no route set (observed peer) */
    public peer: Hop,
    readonly local: LocalPoint,
    localParty: string,
    remoteParty: string,
  ) {
    this.localParty = localParty;
    this.remoteParty = remoteParty;
    this.localSeq = role === 'uac' ? 0 : Math.floor(Math.random() * 10_000) + 1;
  }

  get state(): DialogState {
    return this.current;
  }

  /** A 2xx to the dialog-creating request (sent or received). */
  confirm(): void {
    if (this.current === D.Confirmed) return;
    // the peer's BYE ended the early dialog before the app's 2xx went out: it stays ended
    if (this.current === D.Terminated && this.role === 'uas') return;
    this.transition(D.Confirmed);
  }

  /** The dialog is over: its timers stop, its reliable provisionals and session timer end. */
  terminate(): void {
    if (this.current !== D.Terminated) this.transition(D.Terminated);
  }

  /** UAC: `onExpiry` runs unless the app acknowledges the 2xx within `ms` (or the dialog ends first). */
  guardAppAck(ms: number, onExpiry: () => void): void {
    this.appAcked();
    this.appAckTimer = setTimeout(() => {
      this.appAckTimer = undefined;
      onExpiry();
    }, ms);
    this.appAckTimer.unref?.();
  }

  /** The app sent its ACK for the 2xx. */
  appAcked(): void {
    if (this.appAckTimer) clearTimeout(this.appAckTimer);
    this.appAckTimer = undefined;
  }

  /** The one guarded transition; entering Terminated clears every timer the dialog runs. */
  private transition(to: DialogState): void {
    const from = this.current;
    if (!NEXT[from].includes(to) || (from === D.Terminated && this.role !== 'uac')) throw new IllegalTransitionError(`${this.role.toUpperCase()} dialog`, from, to);
    this.current = to;
    if (to !== D.Terminated) return;
    this.appAcked();
    this.reliable?.finish();
    this.sessionTimer?.end();
  }
}

export const dialogIdOf = (callId: string, fromTag: string): string => `${callId};from-tag=${fromTag}`;

/** A NOTIFY that ends its subscription (RFC 6665 §4.1.3: `Subscription-State: terminated;...`). */
export const endsSubscription = (subscriptionState: string | undefined): boolean => /^\s*terminated\b/i.test(subscriptionState ?? '');
