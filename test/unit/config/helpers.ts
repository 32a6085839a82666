import { ConfigError } from '../../../src/config/errors.js';
import { parseConfig } from '../../../src/config/load.js';

/** The ConfigError thrown while loading `yaml`, or a test failure if it loads. */
export function configErrorOf(yaml: string, file = 'config/test.yaml'): ConfigError {
  try {
    parseConfig(yaml, file);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected the configuration to be rejected, but it loaded');
}

/** A small valid tenant; `patch` replaces the named line of it. */
export function tenantYaml(overrides: Record<string, string> = {}): string {
  const parts = {
    extensions: `{ '100': { password: p } }`,
    cos: `{ default: { outgoingLines: [local], emergencyLines: [e911] } }`,
    outgoingLines: `{ local: { dialStrings: ['NXXNXXXXXX!'], trunks: [k] } }`,
    emergencyLines: `{ e911: { number: '911', trunks: [k] } }`,
    trunks: `{ k: { host: 127.0.0.9 } }`,
    ...overrides,
  };
  return `tenants:\n  demo:\n    domain: demo.local\n${Object.entries(parts)
    .map(([k, v]) => `    ${k}: ${v}`)
    .join('\n')}\n`;
}
