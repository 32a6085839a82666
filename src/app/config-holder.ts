import type { Config } from '../config/index.js';

/**
 * The configuration in force. Handlers read `current()` when a call or registration starts and
 * keep what they got (the call's Tenant object) for the rest of the call; `replace` swaps the
 * whole configuration at once, so a request sees either the old or the new one, never a mix.
 */
export class ConfigHolder {
  private config: Config;
  private readonly listeners: Array<(next: Config) => void> = [];

  constructor(initial: Config) {
    this.config = initial;
  }

  current(): Config {
    return this.config;
  }

  replace(next: Config): void {
    this.config = next;
    for (const l of this.listeners) l(next);
  }

  /** `listener` runs after every `replace`, with the configuration now in force. */
  onReplace(listener: (next: Config) => void): void {
    this.listeners.push(listener);
  }
}
