/** One accepted SUBSCRIBE to `message-summary` (RFC 3842): a dialog of this instance's engine. */
export interface MwiSubscription {
  /** the engine's id of the SUBSCRIBE dialog: in-dialog NOTIFYs and refreshes go by it */
  readonly dialogId: string;
  readonly tenant: string;
  readonly extension: string;
  /** the subscribing device (`101`, `101_2`): it gets its NOTIFYs in the dialog, not unsolicited */
  readonly deviceUser: string;
  /** `sip:101@demo.local`, the Message-Account of the bodies */
  readonly account: string;
  expiresAt: number;
}

/**
 * The subscriptions of this instance, in memory: a dialog belongs to the engine connection that
 * answered the SUBSCRIBE, so another instance could not notify in it anyway. Each expires on its
 * own timer (`onExpiry` sends the final NOTIFY); a refresh restarts it.
 */
export class MwiSubscriptions {
  private readonly byDialog = new Map<string, { sub: MwiSubscription; timer: NodeJS.Timeout }>();

  constructor(private readonly onExpiry: (sub: MwiSubscription) => void) {}

  get size(): number {
    return this.byDialog.size;
  }

  get(dialogId: string): MwiSubscription | undefined {
    return this.byDialog.get(dialogId)?.sub;
  }

  /** Adds or refreshes a subscription lasting `seconds` from now. */
  put(sub: Omit<MwiSubscription, 'expiresAt'>, seconds: number): MwiSubscription {
    const old = this.byDialog.get(sub.dialogId);
    if (old !== undefined) clearTimeout(old.timer);
    const entry = { ...sub, expiresAt: Date.now() + seconds * 1000 };
    const timer = setTimeout(() => {
      if (this.byDialog.get(sub.dialogId)?.sub !== entry) return;
      this.byDialog.delete(sub.dialogId);
      this.onExpiry(entry);
    }, seconds * 1000);
    timer.unref();
    this.byDialog.set(sub.dialogId, { sub: entry, timer });
    return entry;
  }

  remove(dialogId: string): MwiSubscription | undefined {
    const e = this.byDialog.get(dialogId);
    if (e === undefined) return undefined;
    clearTimeout(e.timer);
    this.byDialog.delete(dialogId);
    return e.sub;
  }

  ofMailbox(tenant: string, extension: string): MwiSubscription[] {
    return [...this.byDialog.values()].map((e) => e.sub).filter((s) => s.tenant === tenant && s.extension === extension);
  }

  /** Forgets every subscription without notifying (the app is stopping). */
  clear(): void {
    for (const e of this.byDialog.values()) clearTimeout(e.timer);
    this.byDialog.clear();
  }
}
