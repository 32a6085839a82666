import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { userOf } from '../../sip/index.js';
import type { Extension, Tenant } from '../../domain/index.js';
import type { AppContext } from '../context.js';
import type { AttemptRecord } from '../calls/call-record.js';
import type { RingingParty } from '../calls/caller-leg.js';
import type { CallOutcome } from '../calls/fork.js';
import { promptFile } from '../media/prompts.js';
import { changeMailbox } from './mailboxes.js';
import { MediaSession } from './media-session.js';
import { mailboxDir, messageId } from './message-name.js';

/** The beep before recording. */
export const BEEP = 'tone_stream://%(500,0,1000)';
/** Longest message. */
export const MAX_MESSAGE_SECONDS = 120;
/** Recording stops after this many seconds below SILENCE_THRESHOLD (FreeSWITCH's energy score). */
const SILENCE_HITS = 5;
const SILENCE_THRESHOLD = 200;
/** Shorter recordings (a caller hanging up on the beep) are not kept. */
const MIN_MESSAGE_MS = 500;
/** WAV header of the 8 kHz 16-bit mono files the media server writes. */
const WAV_HEADER_BYTES = 44;

const noop = (): void => undefined;

/** True when a connected media server could take the caller (the extension's ring time is its afterSeconds then). */
export function voicemailAvailable(ctx: AppContext, ext: Extension | undefined): boolean {
  return ext?.voicemail !== undefined && (ctx.media?.health().servers.some((s) => s.connected) ?? false);
}

/**
 * Where a call to an extension ends when it is not answered, busy or unreachable and no forward
 * applies: with a mailbox and a media server, the caller is answered there (an IVR caller, whom
 * a transfer rang the extension for, already is), hears the greeting and a beep, and leaves a message, recorded to
 * `<voicemailDir>/<tenant>/<extension>/<date>_<caller>.wav`; the index and MWI follow. The call
 * is over when this resolves: the outcome is `failed` with status 200 (the caller WAS answered;
 * completeCall only logs it). Otherwise `otherwise` is returned unchanged.
 */
export async function toVoicemail(
  ctx: AppContext,
  caller: RingingParty,
  tenant: Tenant,
  extension: string,
  callerId: string,
  attempts: AttemptRecord[],
  log: Logger,
  otherwise: CallOutcome,
): Promise<{ outcome: CallOutcome; release: () => void }> {
  const ext = tenant.extensions.get(extension);
  const unchanged = { outcome: otherwise, release: noop };
  if (ext?.voicemail === undefined || caller.gone) return unchanged;
  const vlog = log.child({ voicemail: extension });
  let session: MediaSession;
  try {
    const conn = await caller.takeOnMedia(() => ctx.media?.pick());
    if (conn === undefined) return unchanged;
    session = new MediaSession(conn.endpoint, conn.dialog);
  } catch (err) {
    vlog.warn({ err: err instanceof Error ? err.message : String(err) }, 'voicemail could not answer on the media server');
    return unchanged;
  }
  attempts.push({ target: `voicemail ${extension}`, outcome: 200 });
  vlog.info({ status: 'status' in otherwise ? otherwise.status : undefined }, 'call answered by voicemail');
  const at = new Date();
  const id = messageId(at, callerId);
  const dir = mailboxDir(ctx.config.media.voicemailDir, tenant.name, extension);
  const file = join(dir, `${id}.wav`);
  let durationMs = 0;
  try {
    await mkdir(dir, { recursive: true });
    await playGreeting(ctx, session, tenant, extension, vlog);
    await session.play(BEEP);
    if (!session.gone) durationMs = await recordCaller(session, file, MAX_MESSAGE_SECONDS, SILENCE_HITS);
  } catch (err) {
    if (!session.gone) vlog.warn({ err: err instanceof Error ? err.message : String(err) }, 'voicemail failed on the media server');
  } finally {
    await session.hangUp();
  }
  if (durationMs === 0) {
    await new Promise((r) => setTimeout(r, 200)); // the media server closes the file after the hang-up
    durationMs = await durationOfFile(file);
  }
  if (durationMs < MIN_MESSAGE_MS) {
    vlog.info({ durationMs }, 'voicemail: no message left');
  } else {
    try {
      await changeMailbox(ctx, tenant, extension, vlog, (store) => store.add(tenant.name, extension, { id, caller: callerId, receivedAt: at.getTime(), durationMs, file, isNew: true }));
      vlog.info({ file, durationMs, caller: callerId }, 'voicemail message left');
    } catch (err) {
      vlog.error({ err, file }, 'voicemail message recorded but not indexed: voicemail store unavailable');
    }
  }
  return { outcome: { kind: 'failed', status: 200, reason: 'Voicemail' }, release: noop };
}

/** The mailbox's own greeting (recorded through `*97`), else the `voicemail-greeting` prompt; also when its file is gone. */
async function playGreeting(ctx: AppContext, session: MediaSession, tenant: Tenant, extension: string, log: Logger): Promise<void> {
  const standard = promptFile(ctx.config.media, 'voicemail-greeting');
  const own = (await ctx.settings.get(tenant.name, extension).catch(() => undefined))?.voicemailGreeting;
  if (own === undefined) return session.play(standard);
  try {
    await session.play(own);
  } catch (err) {
    if (session.gone) return;
    log.warn({ file: own, err: err instanceof Error ? err.message : String(err) }, 'voicemail greeting not playable: the standard one plays');
    await session.play(standard);
  }
}

/**
 * Records the caller until the time limit, `silenceHits` seconds of silence, a key (the session's
 * playback terminators) or the hang-up; the length in ms (0 when unknown).
 */
export async function recordCaller(session: MediaSession, file: string, limitSecs: number, silenceHits: number): Promise<number> {
  const done = session.ep.record(file, { timeLimitSecs: limitSecs, silenceThresh: SILENCE_THRESHOLD, silenceHits });
  done.catch(noop);
  const r = await Promise.race([done, session.ended.then(() => undefined)]);
  // the caller hung up: stop the recording now (the media server would wait for silence)
  if (r === undefined) await session.ep.api('uuid_break', `${session.ep.uuid} all`).catch(noop);
  const ms = Number(r?.recordMilliseconds ?? '');
  return Number.isFinite(ms) ? ms : 0;
}

/** The recording's length from its size (the media server is on this machine: embedded mode). */
async function durationOfFile(file: string): Promise<number> {
  try {
    const { size } = await stat(file);
    return Math.max(0, Math.round(((size - WAV_HEADER_BYTES) / 16000) * 1000));
  } catch {
    return 0;
  }
}

/** The caller's user part from a From header value (`"Bob" <sip:101@demo.local>` → `101`). */
export function callerUser(from: string, fallback: string): string {
  return userOf(from) ?? fallback;
}
