import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import { chooseForward, NO_SETTINGS } from '../../../src/domain/forwarding/choose-forward.js';
import { judgeForward, MAX_FORWARD_HOPS } from '../../../src/domain/forwarding/judge-forward.js';
import { explainForwards } from '../../../src/domain/forwarding/explain-forwards.js';
import type { Tenant } from '../../../src/domain/model.js';

// DOMAIN §7 forwarding [004] and §9 "CoS applies on every path that creates an outbound leg".
const DEFAULT_YAML = readFileSync(fileURLToPath(new URL('../../../config/default.yaml', import.meta.url)), 'utf8');

/** The demo tenant with extra lines inserted under extension 101 and a night time set. */
function demo(ext101Extra = '', ext102Extra = ''): Tenant {
  const text = DEFAULT_YAML.replace('        password: demo101           # demo only\n', `        password: demo101           # demo only\n${ext101Extra}`)
    .replace('        password: demo102           # demo only\n', `        password: demo102           # demo only\n${ext102Extra}`)
    .replace('    timeSets:\n', '    timeSets:\n      night:\n        periods:\n          - { hours: 23-01 }\n');
  return parseConfig(text, 'x.yaml').tenants.get('demo')!;
}
const at = (iso: string): number => Date.parse(iso);
const TUESDAY_NOON = at('2024-03-12T12:00:00-04:00');
const CALLER_100 = { numbers: ['100'], anonymous: false };

describe('call forwarding: which forward applies (DOMAIN §7)', () => {
  it('a *72 setting wins over the configured unconditional forward', () => {
    const t = demo("        forward: { unconditional: { to: '102' } }\n");
    const ext = t.extensions.get('101')!;
    expect(chooseForward(ext, NO_SETTINGS, 'unconditional', TUESDAY_NOON, CALLER_100)).toMatchObject({ to: '102', source: 'config' });
    expect(chooseForward(ext, { dnd: false, forwardTo: '19055551234' }, 'unconditional', TUESDAY_NOON, CALLER_100)).toMatchObject({ to: '19055551234', source: 'feature-code' });
  });

  it('time set ranges wrap past midnight: hours 23-01 forwards at 23:30 and 01:59, not at 02:00 or noon', () => {
    const t = demo("        forward: { unconditional: { to: '102', timeSet: night } }\n");
    const ext = t.extensions.get('101')!;
    const on = (iso: string) => chooseForward(ext, NO_SETTINGS, 'unconditional', at(iso), CALLER_100) !== undefined;
    expect(on('2024-03-12T23:30:00-04:00')).toBe(true);
    expect(on('2024-03-13T01:59:59-04:00')).toBe(true);
    expect(on('2024-03-13T02:00:00-04:00')).toBe(false);
    expect(on('2024-03-12T12:00:00-04:00')).toBe(false);
  });

  it('a forward restricted by caller (a source set): a whitelist forwards only its callers, a blacklist all but its callers; an anonymous caller passes no whitelist', () => {
    const t = demo("        forward: { unconditional: { to: '102', callers: { mode: whitelist, patterns: ['100', '4165551*'] } }, busy: { to: '100', callers: { patterns: ['1905*'] } } }\n");
    const ext = t.extensions.get('101')!;
    const caller = (numbers: string[], anonymous = false) => ({ numbers, anonymous });
    expect(chooseForward(ext, NO_SETTINGS, 'unconditional', TUESDAY_NOON, caller(['100']))).toMatchObject({ to: '102' });
    expect(chooseForward(ext, NO_SETTINGS, 'unconditional', TUESDAY_NOON, caller(['103', '4165551234']))).toMatchObject({ to: '102' });
    expect(chooseForward(ext, NO_SETTINGS, 'unconditional', TUESDAY_NOON, caller(['103']))).toBeUndefined();
    expect(chooseForward(ext, NO_SETTINGS, 'unconditional', TUESDAY_NOON, caller(['100'], true))).toBeUndefined();
    // blacklist (the default mode): those callers are not forwarded, everyone else is, anonymous too
    expect(chooseForward(ext, NO_SETTINGS, 'busy', TUESDAY_NOON, caller(['19055551234']))).toBeUndefined();
    expect(chooseForward(ext, NO_SETTINGS, 'busy', TUESDAY_NOON, caller(['103']))).toMatchObject({ to: '100' });
    expect(chooseForward(ext, NO_SETTINGS, 'busy', TUESDAY_NOON, caller([], true))).toMatchObject({ to: '100' });
    // a *72 forward is the user's own: it has no caller restriction
    expect(chooseForward(ext, { dnd: false, forwardTo: '102' }, 'unconditional', TUESDAY_NOON, caller(['103']))).toMatchObject({ to: '102', source: 'feature-code' });
  });

  it('the route dry run shows a source set with its forward', () => {
    const t = demo("        forward: { unconditional: { to: '102', callers: { mode: whitelist, patterns: ['100', '4165551*'] } }, busy: { to: '100', callers: { patterns: ['1905*'] } } }\n");
    expect(explainForwards(t, t.extensions.get('101')!, TUESDAY_NOON).map((f) => [f.kind, f.callers])).toEqual([
      ['unconditional', 'only 100 4165551*'],
      ['busy', 'all but 1905*'],
    ]);
  });

  it('a bad caller pattern is refused at load, naming its key', () => {
    expect(() => demo("        forward: { busy: { to: '100', callers: { patterns: ['[12'] } } }\n")).toThrow(/forward\.busy\.callers\.patterns\[0\]: pattern "\[12": a "\[" has no closing "\]"/);
  });

  it('no answer carries its own ring time; busy and unavailable are separate rules', () => {
    const t = demo("        forward: { noAnswer: { to: '102', afterSeconds: 12 }, busy: { to: '100' }, unavailable: { to: '19055551234' } }\n");
    const ext = t.extensions.get('101')!;
    expect(chooseForward(ext, NO_SETTINGS, 'noAnswer', TUESDAY_NOON, CALLER_100)).toMatchObject({ to: '102', afterSeconds: 12 });
    expect(chooseForward(ext, NO_SETTINGS, 'busy', TUESDAY_NOON, CALLER_100)).toMatchObject({ to: '100' });
    expect(chooseForward(ext, NO_SETTINGS, 'unavailable', TUESDAY_NOON, CALLER_100)).toMatchObject({ to: '19055551234' });
    expect(chooseForward(ext, NO_SETTINGS, 'unconditional', TUESDAY_NOON, CALLER_100)).toBeUndefined();
  });
});

describe("a forward is judged with the FORWARDER's CoS, never the caller's (DOMAIN §9)", () => {
  it('101 (CoS default) may forward to 19055551234: the long-distance line, number manipulated to +19055551234', () => {
    const t = demo();
    const j = judgeForward(t, t.extensions.get('101')!, '19055551234', TUESDAY_NOON, ['101']);
    expect(j).toMatchObject({ kind: 'outbound', route: { line: 'longdistance', number: '+19055551234', trunks: ['bellprimarysbc', 'bellsecondarysbc'] } });
  });

  it('102 (CoS internal) may not forward out, whatever the caller could dial: 403', () => {
    const t = demo();
    const j = judgeForward(t, t.extensions.get('102')!, '19055551234', TUESDAY_NOON, ['102']);
    expect(j).toMatchObject({ kind: 'refused', status: 403 });
  });

  it('a forward to 1900… is refused by the banned-prefix list even for a CoS that has long distance', () => {
    const t = demo();
    const j = judgeForward(t, t.extensions.get('101')!, '19005551234', TUESDAY_NOON, ['101']);
    expect(j).toMatchObject({ kind: 'refused', status: 403 });
  });

  it('forward loops (100 → 101 → 100) and chains longer than the limit end 482', () => {
    const t = demo();
    expect(judgeForward(t, t.extensions.get('101')!, '100', TUESDAY_NOON, ['100', '101'])).toMatchObject({ kind: 'refused', status: 482, why: 'forward loop: 100 → 101 → 100' });
    expect(judgeForward(t, t.extensions.get('101')!, '101', TUESDAY_NOON, ['101'])).toMatchObject({ kind: 'refused', status: 482 });
    const long = Array.from({ length: MAX_FORWARD_HOPS }, (_, i) => String(200 + i));
    expect(judgeForward(t, t.extensions.get('101')!, '102', TUESDAY_NOON, long)).toMatchObject({ kind: 'refused', status: 482 });
    expect(judgeForward(t, t.extensions.get('101')!, '102', TUESDAY_NOON, ['100', '101'])).toMatchObject({ kind: 'extension', extension: '102' });
  });

  it('an emergency number or a feature code is no forward target', () => {
    const t = demo();
    expect(judgeForward(t, t.extensions.get('101')!, '911', TUESDAY_NOON, ['101'])).toMatchObject({ kind: 'refused', status: 403 });
    expect(judgeForward(t, t.extensions.get('101')!, '*78', TUESDAY_NOON, ['101'])).toMatchObject({ kind: 'refused', status: 403 });
  });

  it("voicemail is the forwarder's own mailbox, whatever its CoS; an extension without one is refused 404", () => {
    const t = demo('        forward: { busy: { to: voicemail } }\n');
    expect(judgeForward(t, t.extensions.get('101')!, 'voicemail', TUESDAY_NOON, ['100', '101'])).toEqual({ kind: 'voicemail', extension: '101' });
    expect(judgeForward(t, t.extensions.get('102')!, 'voicemail', TUESDAY_NOON, ['102'])).toMatchObject({ kind: 'refused', status: 404 });
    expect(explainForwards(t, t.extensions.get('101')!, TUESDAY_NOON)).toEqual([{ kind: 'busy', to: 'voicemail', activeNow: true, outcome: 'voicemail of 101 (when a media server is connected)' }]);
    expect(
      parseConfig(
        DEFAULT_YAML.replace('        password: demo101           # demo only\n', '        password: demo101           # demo only\n        forward: { noAnswer: { to: voicemail } }\n'),
        'x.yaml',
      ).warnings,
    ).toEqual([]);
  });

  it("the configuration warns about a forward its extension's CoS would refuse", () => {
    const text = DEFAULT_YAML.replace('        cos: internal\n', "        cos: internal\n        forward: { noAnswer: { to: '19055551234' } }\n");
    const config = parseConfig(text, 'x.yaml');
    expect(config.warnings).toContainEqual(expect.objectContaining({ key: 'tenants.demo.extensions.102.forward.noAnswer.to', kind: 'risky' }));
    expect(parseConfig(DEFAULT_YAML, 'x.yaml').warnings).toEqual([]);
  });

  it('an unknown time set on a forward is a configuration error naming the key', () => {
    expect(() => demo("        forward: { busy: { to: '102', timeSet: nosuch } }\n")).toThrow(/tenants\.demo\.extensions\.101\.forward\.busy\.timeSet: unknown time set "nosuch"/);
  });
});

describe('hunt groups [004]: dialled like an extension, a forward target, members in order', () => {
  const withGroup = (): Tenant => {
    const text = DEFAULT_YAML.replace('    timeSets:\n', "    huntGroups:\n      sales: { number: '600', members: [{ to: '101', seconds: 5 }, { to: '102', seconds: 10 }] }\n    timeSets:\n");
    return parseConfig(text, 'x.yaml').tenants.get('demo')!;
  };

  it('600 is a hunt group for a CoS with local extensions; the rule lists its members', () => {
    const t = withGroup();
    const d = judgeForward(t, t.extensions.get('101')!, '600', TUESDAY_NOON, ['101']);
    expect(d).toMatchObject({ kind: 'huntGroup', group: 'sales', rule: { step: 'hunt-group', detail: 'hunt group sales (600): 101 5s, 102 10s' } });
  });

  it('a hunt group number that is already an extension is a configuration error', () => {
    const text = DEFAULT_YAML.replace('    timeSets:\n', "    huntGroups:\n      sales: { number: '101', members: [{ to: '102', seconds: 5 }] }\n    timeSets:\n");
    expect(() => parseConfig(text, 'x.yaml')).toThrow(/tenants\.demo\.huntGroups\.sales\.number: 101 is already an extension/);
  });
});
