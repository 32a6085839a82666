import { mkdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type Mrf from 'drachtio-fsmrf';
import type { Tenant } from '../../domain/index.js';
import type { AppContext } from '../context.js';
import type { CallerLeg } from '../calls/caller-leg.js';
import { promptFile } from '../media/prompts.js';
import type { VoicemailMessage } from '../../store/voicemail-store.js';
import { changeMailbox } from './mailboxes.js';
import { MediaSession } from './media-session.js';
import { BEEP, recordCaller } from './leave-message.js';
import { mailboxDir } from './message-name.js';

/** Wrong PINs before the call is hung up (each counts as an authentication failure). */
export const MAX_PIN_TRIES = 3;
const PIN_TIMEOUT_MS = 8000;
const MENU_TIMEOUT_MS = 6000;
/** Menu rounds without a valid choice before the message is kept and the next one plays. */
const MENU_TRIES = 3;
/** How long the greeting menu waits for its key after the messages. */
const GREETING_MENU_TIMEOUT_MS = 4000;
const MAX_GREETING_SECONDS = 60;
const GREETING_SILENCE_SECONDS = 3;
const MIN_GREETING_MS = 1000;

export type MailboxAnswer = 'listened' | 'wrong-pin' | 'no-mailbox' | 'hung-up';

/**
 * `*97` (the owner's mailbox, DOMAIN §8): answered on the media server, `enter-pin` (ends with #);
 * a wrong PIN counts like a wrong password (guessing protection) and the third hangs up. Then each
 * new message plays, followed by `voicemail-menu`: 7 deletes it, 9 saves it (heard) and goes on,
 * 1 replays it; then `no-messages` ("no new messages"), and, when the mailbox held saved messages
 * as it opened, `saved-messages` and each of them with the same menu (9 keeps it); then
 * `greeting-menu` (5 records the mailbox's own greeting), `goodbye` at the end. Every change of
 * the new-message count sends MWI. Resolves when the call is over.
 */
export async function runMailboxCall(ctx: AppContext, ms: Mrf.MediaServer, caller: CallerLeg, tenant: Tenant, owner: string, log: Logger): Promise<MailboxAnswer> {
  const ext = tenant.extensions.get(owner);
  if (ext?.voicemail === undefined) {
    log.info({ owner }, 'voicemail: the extension has no mailbox: 404');
    caller.reject(404, 'No Mailbox');
    return 'no-mailbox';
  }
  const conn = await caller.connectTo(ms);
  const s = new MediaSession(conn.endpoint, conn.dialog);
  const vlog = log.child({ mailbox: owner });
  const source = caller.req.source_address;
  const prompt = (name: string): string => promptFile(ctx.config.media, name);
  let answer: MailboxAnswer = 'hung-up';
  try {
    await s.ep.set('playback_terminators', 'any');
    let ok = false;
    for (let tries = 0; tries < MAX_PIN_TRIES && !s.gone && !ok; tries++) {
      const pin = await collect(s, prompt('enter-pin'), 12, PIN_TIMEOUT_MS);
      if (s.gone) break;
      ok = pin === ext.voicemail.pin;
      if (!ok) {
        const { bannedNow } = ctx.bans.recordFailure(source);
        vlog.info({ source, try: tries + 1, ...(bannedNow && { bannedNow }) }, 'voicemail: wrong PIN');
      }
    }
    if (!ok) {
      if (!s.gone) {
        answer = 'wrong-pin';
        vlog.info({ source }, `voicemail: ${MAX_PIN_TRIES} wrong PINs: hanging up`);
        await s.play(prompt('goodbye'));
      }
      return answer;
    }
    const all = await ctx.voicemail.list(tenant.name, owner);
    // saved as the mailbox opened: a message saved during this call is not played twice
    const fresh = all.filter((m) => m.isNew);
    const saved = all.filter((m) => !m.isNew);
    vlog.info({ new: fresh.length, saved: saved.length }, 'voicemail: mailbox opened');
    for (const m of fresh) {
      if (s.gone) break;
      await listen(ctx, s, tenant, owner, m, vlog);
    }
    await s.play(prompt('no-messages'));
    if (saved.length > 0) await s.play(prompt('saved-messages'));
    for (const m of saved) {
      if (s.gone) break;
      await listen(ctx, s, tenant, owner, m, vlog);
    }
    if (!s.gone && (await collect(s, prompt('greeting-menu'), 1, GREETING_MENU_TIMEOUT_MS)) === '5') await recordGreeting(ctx, s, tenant, owner, vlog);
    if (!s.gone) {
      await s.play(prompt('goodbye'));
      answer = 'listened';
    }
    return answer;
  } catch (err) {
    if (!s.gone) vlog.warn({ err: err instanceof Error ? err.message : String(err) }, 'voicemail failed on the media server: hanging up');
    return answer;
  } finally {
    await s.hangUp();
  }
}

/** One message: play it, then the menu until 7 (delete), 9 (save, next) or the tries run out (kept as it was). */
async function listen(ctx: AppContext, s: MediaSession, tenant: Tenant, owner: string, m: VoicemailMessage, log: Logger): Promise<void> {
  let play = true;
  for (let round = 0; round < MENU_TRIES && !s.gone;) {
    if (play) {
      await s.play(m.file);
      play = false;
    }
    if (s.gone) return;
    const digit = await collect(s, promptFile(ctx.config.media, 'voicemail-menu'), 1, MENU_TIMEOUT_MS);
    if (s.gone) return;
    switch (digit) {
      case '7':
        await changeMailbox(ctx, tenant, owner, log, (store) => store.remove(tenant.name, owner, m.id));
        await removeFile(m.file, log);
        log.info({ message: m.id }, 'voicemail message deleted');
        return;
      case '9':
        await changeMailbox(ctx, tenant, owner, log, (store) => store.markOld(tenant.name, owner, m.id));
        log.info({ message: m.id }, 'voicemail message saved');
        return;
      case '1':
        play = true;
        break;
      default:
        round++;
    }
  }
}

/**
 * `5` after the messages: `record-greeting`, the beep, then the owner's greeting until a key, 3 s
 * of silence or 60 s. Kept from 1 s (a new file each time, so callers never hear one half
 * recorded): the settings name it, the previous file is removed; `greeting-saved` says so.
 */
async function recordGreeting(ctx: AppContext, s: MediaSession, tenant: Tenant, owner: string, log: Logger): Promise<void> {
  const dir = mailboxDir(ctx.config.media.voicemailDir, tenant.name, owner);
  const file = join(dir, `greeting-${Date.now()}.wav`);
  await mkdir(dir, { recursive: true });
  await s.play(promptFile(ctx.config.media, 'record-greeting'));
  await s.play(BEEP);
  if (s.gone) return;
  const ms = await recordCaller(s, file, MAX_GREETING_SECONDS, GREETING_SILENCE_SECONDS);
  if (s.gone || ms < MIN_GREETING_MS) {
    log.info({ ms, hungUp: s.gone }, 'voicemail greeting not kept: too short or abandoned');
    await removeFile(file, log);
    return;
  }
  const previous = (await ctx.settings.get(tenant.name, owner)).voicemailGreeting;
  await ctx.settings.update(tenant.name, owner, { voicemailGreeting: file });
  if (previous !== undefined) await removeFile(previous, log);
  log.info({ file, ms }, 'voicemail greeting recorded');
  await s.play(promptFile(ctx.config.media, 'greeting-saved'));
}

/** Best effort: the file is on this machine when the media server is (embedded, or a shared mount). */
async function removeFile(file: string, log: Logger): Promise<void> {
  await unlink(file).catch((err: unknown) => log.info({ file, err: err instanceof Error ? err.message : String(err) }, 'voicemail file not removed'));
}

/** Prompt, then digits up to `max` (or `#`); '' on timeout. Digits pressed during the prompt count (barge-in). */
async function collect(s: MediaSession, file: string, max: number, timeoutMs: number): Promise<string> {
  if (s.gone) return '';
  const r = await s.ep.playCollect({ file, min: 1, max, tries: 1, timeout: timeoutMs, digitTimeout: 3000, terminators: '#', regexp: '[0-9*]+' });
  return r.digits ?? '';
}
