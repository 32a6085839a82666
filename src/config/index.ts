export { loadConfig, parseConfig, type Config } from './load.js';
export { ConfigError, formatKeyPath, formatWarning, type ConfigProblem, type ConfigWarning } from './errors.js';
export type { AuthConfig, DrachtioConfig, HttpConfig, ListenConfig, LogConfig, MediaConfig, RedisConfig, RegistrarConfig, SipConfig } from './schema/platform.js';
export type { RawConfig } from './schema/root.js';
export type { AdminConfig, CdrConfig } from './schema/admin.js';
export type { DrainConfig } from './schema/drain.js';
