import { ConfigError, formatWarning, parseConfig } from '../../config/index.js';
import { AdminError } from './errors.js';

export interface ValidationResult {
  valid: true;
  file: string;
  tenants: string[];
  warnings: string[];
}

/** Parses a posted YAML document with the product's loader; applies nothing. */
export function validateConfigText(text: string, file: string): ValidationResult {
  try {
    const config = parseConfig(text, file);
    return { valid: true, file, tenants: [...config.tenants.keys()], warnings: config.warnings.map(formatWarning) };
  } catch (e) {
    if (e instanceof ConfigError) throw new ConfigRejected(e);
    throw e;
  }
}

/** The loader's file/key/problem list, answered as 422. */
export class ConfigRejected extends AdminError {
  constructor(readonly config: ConfigError) {
    super('config-invalid', config.message);
  }
}
