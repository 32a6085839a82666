import { ConfigError, type AdminConfig, type Config } from '../../config/index.js';

/** The admin settings with their token, or a ConfigError naming file and key when there is none. */
export function adminWithToken(config: Config): AdminConfig & { token: string } {
  const { token } = config.admin;
  if (token === undefined || token === '') {
    throw new ConfigError(config.file, [{ key: 'admin.token', problem: 'required when admin.enabled is true (set admin.token or the ADMIN_TOKEN environment variable); there is no default' }]);
  }
  return { ...config.admin, token };
}
