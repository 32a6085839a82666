import type { FeatureRoute, Tenant } from '../../domain/index.js';
import type { AppContext } from '../context.js';
import type { CallLog } from '../calls/call-record.js';
import type { CallerLeg } from '../calls/caller-leg.js';
import { runHotDeskLogin } from './hot-desk-login.js';
import { runMailboxCall } from '../voicemail/mailbox-call.js';
import { reasonPhrase } from '../../sip/index.js';

/** Feature codes that talk to the caller (prompts, digits): they need a media server. */
const VOICE_FEATURES = new Set(['hotDeskLogin', 'voicemail']);

export function isVoiceFeature(feature: string): boolean {
  return VOICE_FEATURES.has(feature);
}

/** Who dialled a voice feature code. */
export interface FeatureCaller {
  /** the registered device (`103`, `100_2`) */
  deviceUser: string;
  /** the extension whose settings and mailbox the code acts on (a logged-in guest's, else the phone's) */
  owner: string;
}

/**
 * Runs a voice feature code on a media server. Without one the caller gets 503 with Retry-After
 * (the codes that need no voice keep working: feature-call.ts).
 */
export async function runVoiceFeature(ctx: AppContext, caller: CallerLeg, tenant: Tenant, who: FeatureCaller, f: FeatureRoute, call: CallLog): Promise<void> {
  const { log } = call;
  const ms = ctx.media?.pick();
  if (!ms) {
    log.warn({ feature: f.feature }, 'voice feature code refused: no media server is connected: 503');
    caller.reject(503, reasonPhrase(503), { 'Retry-After': '30' });
    call.finish(503);
    return;
  }
  switch (f.feature) {
    case 'hotDeskLogin':
      return runHotDeskLogin(ctx, caller, tenant, who, ms, call);
    case 'voicemail': {
      const answer = await runMailboxCall(ctx, ms, caller, tenant, who.owner, log).catch((err: unknown) => {
        log.warn({ err: err instanceof Error ? err.message : String(err) }, 'voicemail could not answer on the media server: 503');
        caller.reject(503, reasonPhrase(503), { 'Retry-After': '30' });
        return 'failed' as const;
      });
      if (answer !== 'no-mailbox' && answer !== 'failed') call.answeredHere();
      call.finish(answer === 'no-mailbox' ? 404 : answer === 'failed' ? 503 : 200);
      return;
    }
    default:
      log.info({ feature: f.feature, owner: who.owner }, 'voice feature code not available yet: 501');
      caller.reject(501);
      call.finish(501);
  }
}
