import type { App } from './types.js';
import { answer, exportVar, hangup, log, multiset, park, sendDtmf, set, setMute, sleep, unset } from './basic.js';
import { playback } from './playback.js';
import { playAndGetDigits, read } from './digits.js';
import { record } from './record.js';
import { recordSession, stopRecordSession } from './record-session.js';

/**
 * The dialplan applications this server implements. `say`, `speak`, `conference` and anything else
 * are unknown, as in a FreeSWITCH without those modules: the channel hangs up (DESTINATION_OUT_OF_ORDER).
 */
export const APPS: ReadonlyMap<string, App> = new Map<string, App>([
  ['answer', answer],
  ['set', set],
  ['unset', unset],
  ['export', exportVar],
  ['multiset', multiset],
  ['set_mute', setMute],
  ['sleep', sleep],
  ['hangup', hangup],
  ['park', park],
  ['send_dtmf', sendDtmf],
  ['log', log],
  ['playback', playback],
  ['play_and_get_digits', playAndGetDigits],
  ['read', read],
  ['record', record],
  ['record_session', recordSession],
  ['stop_record_session', stopRecordSession],
]);
