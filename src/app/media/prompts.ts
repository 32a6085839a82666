import { isAbsolute, resolve } from 'node:path';
import type { MediaConfig } from '../../config/schema/platform.js';

/**
 * Where the media server finds a prompt: a name is `<soundsDir>/<language>/<name>.wav`, in the
 * tenant's language when it sets one, else the platform's; a path or a stream
 * (`tone_stream://…`, `silence_stream://…`) is used as written. The path is the media server's:
 * with FreeSWITCH, soundsDir is a directory of the FreeSWITCH machine (see docs/docker.md).
 */
export function promptFile(media: MediaConfig, prompt: string, tenant?: { readonly language?: string }): string {
  if (prompt.includes('://')) return prompt;
  if (prompt.includes('/')) return isAbsolute(prompt) ? prompt : resolve(prompt);
  const dir = isAbsolute(media.soundsDir) ? media.soundsDir : resolve(media.soundsDir);
  return `${dir}/${tenant?.language ?? media.language}/${prompt}.wav`;
}

/** What callers hear while an IVR transfer rings (North American ringback). */
export const RINGBACK = 'tone_stream://L=-1;%(2000,4000,440,480)';
