/** A listener of a bus; it must not throw (a throw is swallowed so the owner of the state is never disturbed). */
export type BusListener<E> = (event: E) => void;

/**
 * A synchronous, typed publish/subscribe channel. Owners of state check `listening` before they
 * build an event, so a bus nobody listens to costs one property read per change.
 */
export class EventBus<E extends { readonly type: string }> {
  private readonly listeners = new Set<BusListener<E>>();

  /** whether anybody listens: build the event only then */
  get listening(): boolean {
    return this.listeners.size > 0;
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Adds a listener; the returned function removes it (idempotent). */
  subscribe(listener: BusListener<E>): () => void {
    // a wrapper per subscription, so one function subscribed twice is two subscriptions
    const own: BusListener<E> = (e) => listener(e);
    this.listeners.add(own);
    return () => {
      this.listeners.delete(own);
    };
  }

  emit(event: E): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // a listener's failure must not disturb the owner of the state
      }
    }
  }
}
