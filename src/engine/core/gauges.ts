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

  snapshot(): EngineStats {
    return {
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
  transactions: number;
  dialogs: number;
  proxyContexts: number;
  sipConnections: number;
  appConnections: number;
  pendingAppRequests: number;
}
