import type { Hop } from '../transaction/types.js';
import type { ServerTransaction } from '../transaction/server-transaction.js';
import type { LocalPoint } from '../core/local-point.js';
import type { SessionTimer } from './session-timer.js';
import type { ReliableProvisionals } from '../transaction/reliable-provisionals.js';

export type DialogRole = 'uas' | 'uac';

/** Per-dialog state (RFC 3261 §12) as the engine keeps it on behalf of the owning app. */
export class Dialog {
  state: 'early' | 'confirmed' = 'early';
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
  /** UAC: fires when the app never acknowledges the 2xx (see outgoing-responses) */
  appAckGuard: NodeJS.Timeout | undefined;
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
}

export const dialogIdOf = (callId: string, fromTag: string): string => `${callId};from-tag=${fromTag}`;

/** A NOTIFY that ends its subscription (RFC 6665 §4.1.3: `Subscription-State: terminated;...`). */
export const endsSubscription = (subscriptionState: string | undefined): boolean => /^\s*terminated\b/i.test(subscriptionState ?? '');
