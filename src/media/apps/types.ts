import type { Channel } from '../channel/channel.js';
import type { BreakSignal } from '../channel/break-signal.js';

/** One running application: the channel, its expanded argument, and the break/hang-up signal. */
export interface AppRun {
  channel: Channel;
  arg: string;
  signal: BreakSignal;
}

/** Returns the Application-Response (undefined → `_none_`). */
export type App = (run: AppRun) => Promise<string | undefined>;
