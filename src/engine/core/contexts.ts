import type { Logger } from 'pino';
import type { SipMessage } from '../../sip/index.js';
import type { Dialog } from '../dialog/dialog.js';
import type { DialogTable } from '../dialog/dialog-table.js';
import type { SessionTimerClock } from '../dialog/session-timer.js';
import type { ClientTransaction } from '../transaction/client-transaction.js';
import type { CompletedResponses } from '../transaction/completed-responses.js';
import type { ServerTransaction } from '../transaction/server-transaction.js';
import type { TransactionTable } from '../transaction/transaction-table.js';
import type { TimerConfig } from '../transaction/timers.js';
import type { Hop, Sender } from '../transaction/types.js';
import type { Inbound, Peer, TransportName } from '../transport/types.js';
import type { AppConnection } from '../wire/app-connection.js';
import type { EngineGauges } from './gauges.js';
import type { LocalPoint } from './local-point.js';
import type { PendingRequests } from './pending-requests.js';
import type { ProxyService } from './proxy-service.js';

/** A network request handed to an app, waiting for its responses. */
export interface IncomingRequest {
  readonly txnId: string;
  readonly tx: ServerTransaction;
  readonly owner: string;
  dialog: Dialog | undefined;
  /** the engine answered it itself (CANCEL → 487); later app responses get NOK */
  answeredByEngine: boolean;
  appTimer: NodeJS.Timeout | undefined;
  local: LocalPoint;
  inbound: Inbound;
  /** Via values for our responses (received/rport stamped) */
  vias: string[];
}

/** A request an app sent, waiting for responses from the network. */
export interface OutgoingRequest {
  readonly txnId: string;
  readonly tx: ClientTransaction;
  readonly owner: string;
  dialog: Dialog | undefined;
  /** the dialog was created by this request (initial INVITE/SUBSCRIBE) */
  createsDialog: boolean;
  cancelRequested: { reason: SipMessage } | undefined;
  local: LocalPoint;
}

/** The engine-wide state and services every core module works with. */
export interface Core {
  readonly log: Logger;
  readonly timers: TimerConfig;
  /** how long an app has for its first response to a delivered request */
  readonly appAnswerTimeoutMs: number;
  readonly sender: Sender;
  readonly sessionTimers: { readonly clock: SessionTimerClock; readonly defaultRefresher: 'uac' | 'uas' | 'none' };
  readonly gauges: EngineGauges;
  readonly dialogs: DialogTable;
  readonly maxMessageSize: number;
  readonly transactions: TransactionTable;
  /** non-INVITE server transactions over UDP in their Completed state (Timer J) */
  readonly completedResponses: CompletedResponses;
  /** requests delivered to apps and requests apps sent, until they are answered */
  readonly pending: PendingRequests;
  /** the stateful and stateless proxy, handed in by the engine */
  readonly proxy: ProxyService;
  localPoint(transport: TransportName, bindAddress?: string): LocalPoint | undefined;
  isLocal(address: string, port: number): boolean;
  app(id: string): AppConnection | undefined;
  pickApp(method: string): AppConnection | undefined;
  resolve(host: string): Promise<string>;
  hopFor(peer: Peer, connectionId?: string): Hop;
}
