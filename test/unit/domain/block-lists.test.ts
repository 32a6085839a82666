import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import { decideRoute } from '../../../src/domain/routing/decide.js';
import { screenIncoming } from '../../../src/domain/screening/screen.js';
import { compileShellPattern } from '../../../src/domain/screening/shell-pattern.js';
import type { Tenant } from '../../../src/domain/model.js';
import { configErrorOf } from '../config/helpers.js';

// Block lists and NCOS levels [004], DOMAIN §7.
const DEFAULT_YAML = readFileSync(fileURLToPath(new URL('../../../config/default.yaml', import.meta.url)), 'utf8');
const NOON = Date.parse('2024-03-12T12:00:00-04:00');

function demo(tenantExtra: string, ext101Extra: string): Tenant {
  const text = DEFAULT_YAML.replace('    timeZone: America/Toronto\n', `    timeZone: America/Toronto\n${tenantExtra}`).replace(
    '        password: demo101           # demo only\n',
    `        password: demo101           # demo only\n${ext101Extra}`,
  );
  return parseConfig(text, 'x.yaml').tenants.get('demo')!;
}
const dial = (t: Tenant, dialled: string) => decideRoute({ tenant: t, caller: { phone: t.extensions.get('101')!, device: 1 }, dialled, at: NOON });

describe('shell patterns of block lists [004]', () => {
  it('* matches any run, ? one character, [..] a class, [!..] its complement; the whole number must match', () => {
    expect(compileShellPattern('1876*').matches('18765551234')).toBe(true);
    expect(compileShellPattern('1876*').matches('218765551234')).toBe(false);
    expect(compileShellPattern('+431234567').matches('+431234567')).toBe(true);
    expect(compileShellPattern('90555512?4').matches('9055551234')).toBe(true);
    expect(compileShellPattern('1[89]00*').matches('18005551234')).toBe(true);
    expect(compileShellPattern('1[!89]00*').matches('18005551234')).toBe(false);
  });

  it('a malformed entry is a configuration error naming the key', () => {
    const e = configErrorOf(DEFAULT_YAML.replace('    timeZone: America/Toronto\n', "    timeZone: America/Toronto\n    blockLists: { outgoing: { patterns: ['19[00'] } }\n"));
    expect(e.key).toBe('tenants.demo.blockLists.outgoing.patterns[0]');
    expect(e.problem).toContain('has no closing');
  });
});

describe('outgoing block lists and NCOS: administrator first, after the CoS found a line', () => {
  it('an administrator blacklist entry beats a user whitelist entry', () => {
    const t = demo("    blockLists: { outgoing: { mode: blacklist, patterns: ['1876*'] } }\n", "        blockLists: { outgoing: { mode: whitelist, patterns: ['1876*', '1905*'] } }\n");
    expect(dial(t, '18765551234')).toMatchObject({ action: 'reject', status: 403, reason: 'blocked-outgoing', rule: { step: 'block-list' } });
    expect((dial(t, '18765551234') as { rule: { detail: string } }).rule.detail).toContain("administrator's outgoing block list");
    expect(dial(t, '19055551234')).toMatchObject({ action: 'outbound', number: '+19055551234' });
  });

  it('a user whitelist refuses what it does not list; an entry may name the number as the trunk receives it', () => {
    const t = demo('', "        blockLists: { outgoing: { mode: whitelist, patterns: ['+1905*'] } }\n");
    expect(dial(t, '19055551234')).toMatchObject({ action: 'outbound' });
    expect(dial(t, '14165551234')).toMatchObject({ action: 'reject', status: 403, reason: 'blocked-outgoing' });
  });

  it('block lists never touch local extensions, feature codes or emergency calls', () => {
    const t = demo("    blockLists: { outgoing: { mode: whitelist, patterns: ['1905*'] } }\n", '');
    expect(dial(t, '100')).toMatchObject({ action: 'local' });
    expect(dial(t, '*78')).toMatchObject({ action: 'feature' });
    expect(dial(t, '911')).toMatchObject({ action: 'emergency' });
  });

  it('an NCOS whitelist limits an extension to the patterns listed; the administrator level applies before the user level', () => {
    const t = demo(
      "    ncos:\n      localonly: { mode: whitelist, patterns: ['416*', '905*'] }\n      nointl: { mode: blacklist, patterns: ['011*'] }\n",
      '        ncos: { admin: nointl, user: localonly }\n',
    );
    expect(dial(t, '4165551234')).toMatchObject({ action: 'outbound' });
    expect(dial(t, '19055551234')).toMatchObject({ action: 'reject', reason: 'ncos-refused', rule: { step: 'ncos' } });
    const intl = dial(t, '011441234567') as { reason: string; rule: { detail: string } };
    expect(intl.reason).toBe('ncos-refused');
    expect(intl.rule.detail).toContain('administrator NCOS level nointl');
  });

  it('an unknown NCOS level is a configuration error', () => {
    const e = configErrorOf(DEFAULT_YAML.replace('        password: demo101           # demo only\n', '        password: demo101           # demo only\n        ncos: { user: ghost }\n'));
    expect(e.key).toBe('tenants.demo.extensions.101.ncos.user');
  });
});

describe('incoming block lists', () => {
  it('an anonymous caller is rejected 433 when the option is on (administrator or user)', () => {
    const t = demo('', '        blockLists: { rejectAnonymous: true }\n');
    const ext = t.extensions.get('101')!;
    expect(screenIncoming(t, ext, { numbers: ['anonymous'], anonymous: true })).toMatchObject({ status: 433 });
    expect(screenIncoming(t, ext, { numbers: ['4165559999'], anonymous: false })).toBeUndefined();
    expect(screenIncoming(t, t.extensions.get('100')!, { numbers: ['anonymous'], anonymous: true })).toBeUndefined();
  });

  it("the administrator's incoming blacklist refuses a caller the user whitelists (603)", () => {
    const t = demo("    blockLists: { incoming: { mode: blacklist, patterns: ['1900*'] } }\n", "        blockLists: { incoming: { mode: whitelist, patterns: ['1900*', '416*'] } }\n");
    const ext = t.extensions.get('101')!;
    expect(screenIncoming(t, ext, { numbers: ['19005550000'], anonymous: false })).toMatchObject({ status: 603 });
    expect(screenIncoming(t, ext, { numbers: ['4165550000'], anonymous: false })).toBeUndefined();
    expect(screenIncoming(t, ext, { numbers: ['6135550000'], anonymous: false })).toMatchObject({ status: 603 });
  });
});
