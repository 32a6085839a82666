import type { Channel } from '../channel/channel.js';

/** One running application: the channel, its expanded argument, and the break/hang-up signal. */
export interface AppRun {
  channel: Channel;
  arg: string;
  signal: AbortSignal;
}

/** Returns the Application-Response (undefined → `_none_`). */
export type App = (run: AppRun) => Promise<string | undefined>;
