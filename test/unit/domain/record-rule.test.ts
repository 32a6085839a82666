import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import { decideRoute, recordReason, resolveCaller } from '../../../src/domain/index.js';

// Which calls are recorded (DOMAIN §8; [001]: the emergency line records all outgoing calls).
const SHIPPED = readFileSync(fileURLToPath(new URL('../../../config/default.yaml', import.meta.url)), 'utf8');
const NOON = Date.parse('2024-03-12T12:00:00-04:00');

function tenantWith(replace: [string, string][] = []) {
  let text = SHIPPED;
  for (const [a, b] of replace) {
    if (!text.includes(a)) throw new Error(`default.yaml lacks ${a}`);
    text = text.replace(a, b);
  }
  return parseConfig(text, 'x.yaml').tenants.get('demo')!;
}

function reason(t: ReturnType<typeof tenantWith>, from: string, dial: string) {
  const caller = resolveCaller(t, from);
  const d = decideRoute({ tenant: t, caller, dialled: dial, at: NOON });
  return recordReason(d, caller, d.action === 'local' ? t.extensions.get(d.extension) : undefined);
}

describe('record rule', () => {
  it('[001] emergency line with record: true: every 911 call is recorded, whoever calls', () => {
    const t = tenantWith();
    expect(reason(t, '102', '911')).toBe('emergency line');
    expect(reason(t, '100_2', '911')).toBe('emergency line');
  });

  it('calls are not recorded unless a rule says so', () => {
    const t = tenantWith();
    expect(reason(t, '100', '101')).toBeUndefined();
    expect(reason(t, '100', '19055551234')).toBeUndefined();
  });

  it('an extension with record: true is recorded when it calls and when it is called', () => {
    const t = tenantWith([['        displayName: Bob\n', '        displayName: Bob\n        record: true\n']]);
    expect(reason(t, '101', '19055551234')).toBe('caller extension');
    expect(reason(t, '100', '101')).toBe('callee extension');
    expect(reason(t, '100', '102')).toBeUndefined();
  });

  it('a CoS with record: true records the calls placed with it', () => {
    const t = tenantWith([['      internal:\n', '      internal:\n        record: true\n']]);
    expect(reason(t, '102', '100')).toBe('caller CoS');
    expect(reason(t, '100', '102')).toBeUndefined();
  });
});
