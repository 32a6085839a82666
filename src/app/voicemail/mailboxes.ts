import type { Logger } from 'pino';
import type { Tenant } from '../../domain/index.js';
import type { AppContext } from '../context.js';
import { countsOf, createVoicemailStore, type VoicemailMessage, type VoicemailStore } from '../../store/voicemail-store.js';
import { closeMwiSubscriptions, notifyMessageWaiting } from './mwi-notify.js';

// Keyed by context rather than added to AppContext, so voicemail stays out of the shared file.
const byContext = new WeakMap<AppContext, VoicemailStore>();

/** The voicemail index of this app (Redis when configured, else memory). */
export function voicemailStore(ctx: AppContext): VoicemailStore {
  let s = byContext.get(ctx);
  if (s === undefined) {
    s = createVoicemailStore(ctx.storeBackend);
    byContext.set(ctx, s);
  }
  return s;
}

/** Closes the voicemail index (its Redis connection) and forgets MWI subscriptions; idempotent. */
export async function closeVoicemailStore(ctx: AppContext): Promise<void> {
  closeMwiSubscriptions(ctx);
  const s = byContext.get(ctx);
  byContext.delete(ctx);
  await s?.close();
}

/** A mailbox change that moves the new-message count: store it, then tell the devices (MWI). */
export async function changeMailbox(ctx: AppContext, tenant: Tenant, extension: string, log: Logger, change: (store: VoicemailStore) => Promise<unknown>): Promise<void> {
  const store = voicemailStore(ctx);
  const before = countsOf(await store.list(tenant.name, extension)).newCount;
  await change(store);
  const after = countsOf(await store.list(tenant.name, extension));
  if (after.newCount !== before) await notifyMessageWaiting(ctx, tenant, extension, after, log);
}

export type { VoicemailMessage };
