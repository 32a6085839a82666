import { isAbsolute, join, resolve } from 'node:path';

/** The caller part of a file name: digits, letters, `+`, `-`, `.` only (a From user can hold anything). */
export function safeCaller(caller: string): string {
  const s = caller
    .replace(/[^0-9A-Za-z+.-]/g, '')
    .replace(/^\.+/, '')
    .slice(0, 32);
  return s === '' ? 'anonymous' : s;
}

/** `20261202T125403Z_4165550101` (UTC, sortable); the message id and the WAV's base name. */
export function messageId(at: Date, caller: string): string {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${stamp}_${safeCaller(caller)}`;
}

/** `<voicemailDir>/<tenant>/<extension>`, absolute (the media server is told absolute paths). */
export function mailboxDir(voicemailDir: string, tenant: string, extension: string): string {
  const base = isAbsolute(voicemailDir) ? voicemailDir : resolve(voicemailDir);
  return join(base, safeCaller(tenant), safeCaller(extension));
}
