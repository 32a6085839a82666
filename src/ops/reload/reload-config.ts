import type { Logger } from 'pino';
import type { ConfigHolder } from '../../app/config-holder.js';
import { ConfigError, formatWarning, type Config } from '../../config/index.js';
import { changedFixedSections, withFixedSections } from './fixed-sections.js';

export type ReloadOutcome = { ok: true; file: string; tenants: string[]; warnings: string[]; kept: string[] } | { ok: false; error: ConfigError };

/**
 * Loads the configuration file again and, when it is valid, replaces the tenants (extensions,
 * passwords, CoS, dial plan, trunks for routing) for new calls and registrations. A bad file
 * changes nothing. Sections that need a restart keep their running values, with a warning.
 */
export function reloadConfig(holder: ConfigHolder, load: () => Config, log: Logger): ReloadOutcome {
  const running = holder.current();
  let next: Config;
  try {
    next = load();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    log.error({ file: err.file, problems: err.problems }, `configuration reload refused, the running configuration stays: ${err.message}`);
    return { ok: false, error: err };
  }
  const kept = changedFixedSections(running, next);
  if (kept.length > 0) log.warn({ file: next.file, sections: kept }, `configuration reload: ${kept.join(', ')} cannot change without a restart; the running values are kept`);
  for (const w of next.warnings) log.warn(formatWarning(w));
  holder.replace(withFixedSections(running, next));
  const tenants = [...next.tenants.keys()];
  log.info({ file: next.file, tenants }, 'configuration reloaded: new calls and registrations use it');
  return { ok: true, file: next.file, tenants, warnings: next.warnings.map(formatWarning), kept };
}
