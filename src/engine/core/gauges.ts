import type { Gauge } from '../transaction/types.js';

class Counter implements Gauge {
  value = 0;
  inc(): void {
    this.value++;
  }
  dec(): void {
    this.value--;
  }
}

/** Live resource counts; all must return to zero once traffic stops (leaks are the classic bug). */
export class EngineGauges {
  readonly transactions = new Counter();
  readonly dialogs = new Counter();
  readonly proxyContexts = new Counter();
  readonly sipConnections = new Counter();
  readonly appConnections = new Counter();
  readonly pendingAppRequests = new Counter();

  snapshot(completedResponses: number): EngineStats {
    return {
      completedResponses,
      transactions: this.transactions.value,
      dialogs: this.dialogs.value,
      proxyContexts: this.proxyContexts.value,
      sipConnections: this.sipConnections.value,
      appConnections: this.appConnections.value,
      pendingAppRequests: this.pendingAppRequests.value,
    };
  }
}

export interface EngineStats {
  /** non-INVITE transactions over UDP waiting out Timer J; they expire by themselves */
  completedResponses: number;
  transactions: number;
  dialogs: number;
  proxyContexts: number;
  sipConnections: number;
  appConnections: number;
  pendingAppRequests: number;
}
