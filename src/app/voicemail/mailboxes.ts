import type { Logger } from 'pino';
import type { Tenant } from '../../domain/index.js';
import type { AppContext } from '../context.js';
import { countsOf, type VoicemailMessage, type VoicemailStore } from '../../store/voicemail-store.js';
import { notifyMessageWaiting } from './mwi-notify.js';

/** Forgets the MWI subscriptions (their timers) and closes the voicemail index; the app is stopping. */
export async function closeVoicemail(ctx: AppContext): Promise<void> {
  ctx.mwi.clear();
  await ctx.mailboxChanges.close();
  await ctx.voicemail.close();
}

/** A mailbox change that moves the new-message count: store it, then tell the devices (MWI) and the other instances. */
export async function changeMailbox(ctx: AppContext, tenant: Tenant, extension: string, log: Logger, change: (store: VoicemailStore) => Promise<unknown>): Promise<void> {
  const store = ctx.voicemail;
  const before = countsOf(await store.list(tenant.name, extension)).newCount;
  await change(store);
  const after = countsOf(await store.list(tenant.name, extension));
  if (after.newCount === before) return;
  await notifyMessageWaiting(ctx, tenant, extension, after, log);
  ctx.mailboxChanges.announce(tenant.name, extension);
}

export type { VoicemailMessage };
