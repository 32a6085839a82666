import type { Gauge } from '../transaction/types.js';
import type { Dialog } from './dialog.js';

const tagKey = (callId: string, localTag: string, remoteTag: string): string => `${callId}\u0000${localTag}\u0000${remoteTag}`;

/** Dialogs by wire dialog id and by (Call-ID, local tag, remote tag). */
export class DialogTable {
  private readonly byId = new Map<string, Dialog>();
  private readonly byTags = new Map<string, Dialog>();

  constructor(private readonly gauge: Gauge) {}

  get size(): number {
    return this.byId.size;
  }

  add(d: Dialog): void {
    const existing = this.byId.get(d.id);
    if (existing) this.remove(existing);
    this.byId.set(d.id, d);
    if (d.remoteTag) this.byTags.set(tagKey(d.callId, d.localTag, d.remoteTag), d);
    this.gauge.inc();
  }

  /** Record the remote tag once learned (UAC dialogs learn it from the first tagged response). */
  setRemoteTag(d: Dialog, remoteTag: string): void {
    if (d.remoteTag === remoteTag) return;
    if (d.remoteTag) this.byTags.delete(tagKey(d.callId, d.localTag, d.remoteTag));
    d.learnRemoteTag(remoteTag);
    if (this.byId.get(d.id) === d) this.byTags.set(tagKey(d.callId, d.localTag, remoteTag), d);
  }

  get(id: string): Dialog | undefined {
    return this.byId.get(id);
  }

  /** Match an in-dialog request from the network: its To-tag is ours, its From-tag theirs. */
  match(callId: string, localTag: string, remoteTag: string): Dialog | undefined {
    return this.byTags.get(tagKey(callId, localTag, remoteTag));
  }

  remove(d: Dialog): void {
    if (this.byId.get(d.id) !== d) return;
    this.byId.delete(d.id);
    d.terminate();
    if (d.remoteTag) this.byTags.delete(tagKey(d.callId, d.localTag, d.remoteTag));
    this.gauge.dec();
  }

  ownedBy(owner: string): Dialog[] {
    const out: Dialog[] = [];
    for (const d of this.byId.values()) if (d.owner === owner) out.push(d);
    return out;
  }
}
