import type { Hop } from '../transaction/types.js';
import type { ServerTransaction } from '../transaction/server-transaction.js';
import type { LocalPoint } from '../core/local-point.js';
import type { SessionTimer } from './session-timer.js';
import type { ReliableProvisionals } from '../transaction/reliable-provisionals.js';
import { IllegalTransitionError } from '../transaction/transition-error.js';

export type DialogRole = 'uas' | 'uac';

export interface LocalBody {
  contentType: string;
  body: Buffer;
}

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

/** What the UAS learns from the dialog-creating request (RFC 3261 §12.1.1). */
export interface CreatingRequest {
  method: string;
  /** its CSeq number: the remote sequence number */
  seq: number;
  /** its From tag */
  remoteTag: string;
  /** the URI of its Contact */
  remoteTarget: string | undefined;
  /** its Record-Route values, in order */
  routeSet: string[];
}

/** What the UAC learns from a tagged response to the dialog-creating request (RFC 3261 §12.1.2). */
export interface CreatingResponse {
  /** its To header value, tag included */
  remoteParty: string | undefined;
  /** the URI of its Contact */
  remoteTarget: string | undefined;
  /** the Request-URI, for a final response without Contact (§6.4.6) */
  fallbackTarget: string | undefined;
  /** its Record-Route values, in order (reversed here) */
  recordRoute: string[];
  /** where it came from: in-dialog requests go there when there is no route set */
  peer: Hop;
}

/** An ACK the app sent for a 2xx, re-sent on retransmissions of that 2xx. */
export interface StoredAck {
  readonly raw: Buffer;
  readonly hop: Hop;
}

/** Per-dialog state (RFC 3261 §12) as the engine keeps it on behalf of the owning app. */
export class Dialog {
  private current = D.Early;
  /** UAC: runs while the app has not acknowledged a 2xx (see network-responses) */
  private appAckTimer: NodeJS.Timeout | undefined;
  private remoteTagValue = '';
  private remotePartyValue: string;
  private localContactValue = '';
  private remoteTargetValue: string | undefined;
  private routeSetValue: readonly string[] = [];
  private localSeqValue: number;
  /** undefined while empty (§12.2.2) */
  private remoteSeqValue: number | undefined;
  private inviteSeqValue = 0;
  private inviteStatusValue = 0;
  private ack: (StoredAck & { until: number }) | undefined;
  private cancelledValue = false;
  private ackWaitTx: ServerTransaction | undefined;
  private reliableValue: ReliableProvisionals | undefined;
  private sessionTimerValue: SessionTimer | undefined;
  private localBodyValue: LocalBody | undefined;
  private subscriptionValue = false;
  private peerValue: Hop;

  constructor(
    readonly id: string,
    readonly callId: string,
    readonly localTag: string,
    readonly role: DialogRole,
    /** connection id of the app that owns the dialog */
    readonly owner: string,
    /** where in-dialog requests go when there is no route set (observed peer) */
    peer: Hop,
    readonly local: LocalPoint,
    /** full From/To header values as they appear on requests we send in this dialog */
    readonly localParty: string,
    remoteParty: string,
  ) {
    this.peerValue = peer;
    this.remotePartyValue = remoteParty;
    this.localSeqValue = role === 'uac' ? 0 : Math.floor(Math.random() * 10_000) + 1;
  }

  get state(): DialogState {
    return this.current;
  }

  get remoteTag(): string {
    return this.remoteTagValue;
  }

  /** the To (UAC) or From (UAS) value of the peer, as requests we send carry it */
  get remoteParty(): string {
    return this.remotePartyValue;
  }

  get localContact(): string {
    return this.localContactValue;
  }

  get remoteTarget(): string | undefined {
    return this.remoteTargetValue;
  }

  get routeSet(): readonly string[] {
    return this.routeSetValue;
  }

  get peer(): Hop {
    return this.peerValue;
  }

  get localSeq(): number {
    return this.localSeqValue;
  }

  /** 0 while empty */
  get remoteSeq(): number {
    return this.remoteSeqValue ?? 0;
  }

  /** CSeq number of the latest INVITE the app sent (for its ACK) */
  get inviteSeq(): number {
    return this.inviteSeqValue;
  }

  /** the final status of our latest INVITE in this dialog (0 before one) */
  get inviteStatus(): number {
    return this.inviteStatusValue;
  }

  /** the app cancelled the INVITE: its ACK of a late 2xx is followed by a BYE (§6.4.3) */
  get cancelled(): boolean {
    return this.cancelledValue;
  }

  /** UAS: reliable provisionals of the dialog-creating INVITE (RFC 3262), once one was sent */
  get reliable(): ReliableProvisionals | undefined {
    return this.reliableValue;
  }

  /** RFC 4028, once a 2xx negotiated Session-Expires */
  get sessionTimer(): SessionTimer | undefined {
    return this.sessionTimerValue;
  }

  /** the SDP we last offered or answered; a refreshing re-INVITE carries it again */
  get localBody(): LocalBody | undefined {
    return this.localBodyValue;
  }

  /** created by a SUBSCRIBE: a NOTIFY with `Subscription-State: terminated` ends it (§6.2) */
  get subscription(): boolean {
    return this.subscriptionValue;
  }

  /** UAC, §12.1.2: the dialog-creating request went out with CSeq `seq` and our Contact. */
  sentCreatingRequest(method: string, seq: number, localContact: string): void {
    this.localContactValue = localContact;
    this.localSeqValue = seq;
    this.inviteSeqValue = seq;
    this.subscriptionValue = method === 'SUBSCRIBE';
  }

  /** UAS, §12.1.1: the remote tag, target, route set and sequence number come from the request. Before the table indexes the dialog. */
  receivedCreatingRequest(req: CreatingRequest): void {
    this.remoteTagValue = req.remoteTag;
    this.remoteTargetValue = req.remoteTarget;
    this.routeSetValue = [...req.routeSet];
    this.acceptRemoteSeq(req.seq);
    this.subscriptionValue = req.method === 'SUBSCRIBE';
  }

  /** UAC: the remote tag of the first tagged response. Only the DialogTable calls this, as it indexes dialogs by tag. */
  learnRemoteTag(tag: string): void {
    this.remoteTagValue = tag;
  }

  /**
   * UAC, §12.1.2: a tagged response to the dialog-creating request sets the remote party, the
   * remote target (its Contact) and the route set (its Record-Route, reversed); the peer is
   * reached where the response came from (NAT).
   */
  learnFromResponse(res: CreatingResponse): void {
    this.remotePartyValue = res.remoteParty ?? this.remotePartyValue;
    if (res.remoteTarget) this.remoteTargetValue = res.remoteTarget;
    else if (!this.remoteTargetValue && res.fallbackTarget) this.remoteTargetValue = res.fallbackTarget;
    this.routeSetValue = [...res.recordRoute].reverse();
    this.peerValue = res.peer;
  }

  /** §12.2.2: a target refresh request (re-INVITE, UPDATE) with a Contact replaces the remote target. */
  refreshTarget(target: string | undefined): void {
    if (target) this.remoteTargetValue = target;
  }

  /** §12.2.1.1: the local sequence number MUST be incremented by one for each new request; returns the new value. */
  nextLocalSeq(): number {
    return ++this.localSeqValue;
  }

  /**
   * §12.2.2: an empty remote sequence number is set from the request; a higher one replaces it; a
   * lower one leaves it as is and the request is out of order (false).
   */
  acceptRemoteSeq(seq: number): boolean {
    if (this.remoteSeqValue !== undefined && seq < this.remoteSeqValue) return false;
    if (this.remoteSeqValue === undefined || seq > this.remoteSeqValue) this.remoteSeqValue = seq;
    return true;
  }

  /** The app sent an INVITE in this dialog with CSeq `seq`: its ACK will carry that number (§13.2.2.4). */
  inviteSent(seq: number): void {
    this.inviteSeqValue = seq;
  }

  /** Our latest INVITE in this dialog got its final response. */
  inviteAnswered(status: number): void {
    this.inviteStatusValue = status;
  }

  /** UAS: the Contact of our 2xx becomes the dialog's (kept when the 2xx has none). */
  useLocalContact(contact: string | undefined): void {
    this.localContactValue = contact ?? this.localContactValue;
  }

  /** The app's ACK of a 2xx, re-sent on retransmissions of that 2xx for `retainMs` (§13.3.1.4). */
  storeAck(raw: Buffer, hop: Hop, retainMs: number): void {
    this.ack = { raw, hop, until: Date.now() + retainMs };
  }

  /** The ACK to re-send on a retransmitted 2xx, while it is retained. */
  get storedAck(): StoredAck | undefined {
    if (this.ack && Date.now() >= this.ack.until) this.ack = undefined;
    return this.ack;
  }

  /** The app cancelled the dialog-creating INVITE (§6.4.3). */
  noteCancelled(): void {
    this.cancelledValue = true;
  }

  /** UAS: the 2xx sent by server transaction `tx` waits for its ACK. */
  awaitAck(tx: ServerTransaction): void {
    this.ackWaitTx = tx;
  }

  /** UAS: an ACK with CSeq `seq` arrived; the transaction whose 2xx it acknowledges, if any, stops waiting. */
  takeAckWait(seq: number): ServerTransaction | undefined {
    const tx = this.ackWaitTx;
    if (!tx || tx.request.cseq.seq !== seq) return undefined;
    this.ackWaitTx = undefined;
    return tx;
  }

  /** UAS: the 2xx was never acknowledged; nothing waits any more. */
  stopAwaitingAck(): void {
    this.ackWaitTx = undefined;
  }

  /** UAS: the reliable provisionals of the dialog-creating INVITE, made by `create` on the first one. */
  reliableOrNew(create: () => ReliableProvisionals): ReliableProvisionals {
    this.reliableValue ??= create();
    return this.reliableValue;
  }

  /** The INVITE got its final response: reliable provisionals stop (RFC 3262 §3). */
  finishReliable(): void {
    this.reliableValue?.finish();
  }

  /** The dialog's session timer, made by `create` the first time a 2xx negotiates one (RFC 4028). */
  sessionTimerOrNew(create: () => SessionTimer): SessionTimer {
    this.sessionTimerValue ??= create();
    return this.sessionTimerValue;
  }

  /** The body a refreshing re-INVITE repeats. */
  rememberLocalBody(body: LocalBody): void {
    this.localBodyValue = body;
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
    this.reliableValue?.finish();
    this.sessionTimerValue?.end();
  }
}

export const dialogIdOf = (callId: string, fromTag: string): string => `${callId};from-tag=${fromTag}`;

/** A NOTIFY that ends its subscription (RFC 6665 §4.1.3: `Subscription-State: terminated;...`). */
export const endsSubscription = (subscriptionState: string | undefined): boolean => /^\s*terminated\b/i.test(subscriptionState ?? '');
