import { isAbsolute, resolve } from 'node:path';
import type { Logger } from 'pino';
import type Mrf from 'drachtio-fsmrf';
import type { RecordReason } from '../../domain/index.js';
import type { AppContext } from '../context.js';
import type { CallRecord } from '../calls/call-record.js';
import type { CallerLeg, RingingParty } from '../calls/caller-leg.js';
import type { TrunkCallResult } from '../calls/trunk-call.js';
import { AnchoredParty } from './anchored-party.js';

/** Anchoring must never hold a call up: past this, the call goes on unrecorded. */
export const ANCHOR_TIMEOUT_MS = 2000;

export interface CallLegs extends TrunkCallResult {
  /** the call's media goes through a media server: in-dialog SDP must not be relayed end to end */
  anchored: boolean;
}

/**
 * Runs a call (`ring` with the party to ring for) recorded when `reason` says so: the media is
 * anchored on a media server and, once answered, both legs are recorded into one stereo WAV
 * (caller left, callee right) until the call ends. A recording never blocks or delays the call:
 * no media server, a failure or a slow one → the call goes on unrecorded, with an error logged.
 */
export async function maybeRecorded(
  ctx: AppContext,
  caller: CallerLeg,
  reason: RecordReason | undefined,
  record: CallRecord,
  log: Logger,
  ring: (party: RingingParty) => Promise<TrunkCallResult>,
): Promise<CallLegs> {
  const anchored = reason === undefined ? undefined : await anchor(ctx, caller, reason, log);
  if (!anchored || reason === undefined) return { ...(await ring(caller)), anchored: false };
  const result = await ring(anchored);
  const freeEndpoints = (): void => {
    void anchored.callerEp.destroy().catch(() => undefined);
    void anchored.calleeEp.destroy().catch(() => undefined);
  };
  if (result.outcome.kind !== 'answered') {
    freeEndpoints();
    return { ...result, anchored: true };
  }
  const file = recordingFile(ctx, record);
  const started = Date.now();
  const ok = await startRecording(anchored.callerEp, file, log);
  if (ok) {
    record.recording = { file, reason };
    log.info({ file, reason }, 'call recording started');
  }
  return {
    outcome: result.outcome,
    anchored: true,
    release() {
      result.release();
      if (record.recording) record.recording.seconds = Math.round((Date.now() - started) / 100) / 10;
      freeEndpoints();
    },
  };
}

async function anchor(ctx: AppContext, caller: CallerLeg, reason: RecordReason, log: Logger): Promise<AnchoredParty | undefined> {
  const ms = ctx.media?.pick();
  if (!ms) {
    log.error({ reason }, 'call NOT recorded: no media server is connected; the call goes on');
    return undefined;
  }
  if (!caller.offer) {
    log.error({ reason }, 'call NOT recorded: the INVITE has no SDP offer; the call goes on');
    return undefined;
  }
  const made: Mrf.Endpoint[] = [];
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_r, reject) => (timer = setTimeout(() => reject(new Error(`the media server took over ${ANCHOR_TIMEOUT_MS} ms`)), ANCHOR_TIMEOUT_MS)));
  const create = async (): Promise<AnchoredParty> => {
    const callerEp = await ms.createEndpoint({ remoteSdp: caller.offer });
    made.push(callerEp);
    const calleeEp = await ms.createEndpoint();
    made.push(calleeEp);
    return new AnchoredParty(caller, callerEp, calleeEp);
  };
  const creating = create();
  try {
    return await Promise.race([creating, timeout]);
  } catch (err) {
    log.error({ reason, err: err instanceof Error ? err.message : String(err) }, 'call NOT recorded: the media server could not anchor it; the call goes on');
    // endpoints that arrive after the timeout are freed too
    void creating.catch(() => undefined).finally(() => made.forEach((ep) => void ep.destroy().catch(() => undefined)));
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

async function startRecording(ep: Mrf.Endpoint, file: string, log: Logger): Promise<boolean> {
  try {
    await ep.set('RECORD_STEREO', 'true');
    const r = await ep.api('uuid_record', `${ep.uuid} start ${file}`);
    if (!r.body.startsWith('+OK')) throw new Error(r.body.trim());
    return true;
  } catch (err) {
    log.error({ file, err: err instanceof Error ? err.message : String(err) }, 'call recording failed to start; the call goes on unrecorded');
    return false;
  }
}

/** `<recordingsDir>/<YYYY-MM-DD>/<HHMMSS>_<caller>_<dialled>_<call id>.wav`, on the media server. */
export function recordingFile(ctx: AppContext, record: CallRecord): string {
  const dir = ctx.config.media.recordingsDir;
  const base = isAbsolute(dir) ? dir : resolve(dir);
  const at = new Date(record.startedAt).toISOString();
  const safe = (s: string): string => s.replace(/[^A-Za-z0-9+._-]/g, '_').slice(0, 64);
  return `${base}/${at.slice(0, 10)}/${at.slice(11, 19).replace(/:/g, '')}_${safe(record.callerExtension ?? record.caller)}_${safe(record.dialled)}_${safe(record.callId)}.wav`;
}
