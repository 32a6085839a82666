import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import { chooseMenuOption, maxMenuDigits } from '../../../src/domain/ivr/menu-choice.js';
import type { Tenant } from '../../../src/domain/model.js';
import { configErrorOf } from '../config/helpers.js';

// IVR menus (DOMAIN §5 IVR CoS, §8): the menu dials with its own CoS, restricted by default.
const SHIPPED_YAML = readFileSync(fileURLToPath(new URL('../../../config/default.yaml', import.meta.url)), 'utf8');
// the shipped attendant is replaced by each test's own (same name, number 500)
const DEFAULT_YAML = SHIPPED_YAML.slice(0, SHIPPED_YAML.indexOf('    applications:\n')) + SHIPPED_YAML.slice(SHIPPED_YAML.indexOf('    timeSets:\n'));
const NOON = Date.parse('2024-03-12T12:00:00-04:00');

function withMenu(menu: string, cos = ''): Tenant {
  const text = DEFAULT_YAML.replace('    timeSets:\n', `    applications:\n      attendant:\n        number: '500'\n        kind: ivr\n${cos}        menu: ${menu}\n    timeSets:\n`);
  return parseConfig(text, 'x.yaml').tenants.get('demo')!;
}
const choose = (t: Tenant, digits: string) => {
  const app = t.applications.get('attendant')!;
  return chooseMenuOption(t, app, app.menu!, digits, NOON);
};
const MENU = "{ prompts: [main-menu], options: { '1': { extension: '100' }, '2': { extension: '102' }, '*': { repeat: true } }, dialExtensions: ['101', '102'] }";

describe('IVR menu choices', () => {
  it('a digit with an option runs it; no input is a timeout; an unknown digit is invalid', () => {
    const t = withMenu(MENU);
    expect(choose(t, '2')).toEqual({ kind: 'action', action: { kind: 'extension', extension: '102' } });
    expect(choose(t, '*')).toEqual({ kind: 'action', action: { kind: 'repeat' } });
    expect(choose(t, '')).toEqual({ kind: 'timeout' });
    expect(choose(t, '7')).toMatchObject({ kind: 'invalid' });
  });

  it('dial-by-extension reaches only the extensions the menu lists', () => {
    const t = withMenu(MENU);
    expect(choose(t, '101')).toEqual({ kind: 'dial', extension: '101' });
    expect(choose(t, '103')).toMatchObject({ kind: 'invalid' });
  });

  it('the default IVR CoS is restricted: no outgoing line, no service (*72), not even when the caller could', () => {
    const t = withMenu(MENU);
    expect(choose(t, '19055551234')).toMatchObject({ kind: 'invalid' });
    expect(choose(t, '*7219055551234')).toMatchObject({ kind: 'invalid' });
    expect(t.applications.get('attendant')!.menu!.cos).toMatchObject({ name: 'ivr:attendant', outgoingLines: [], services: { all: false } });
  });

  it("an outgoing line is reachable only when the IVR's own CoS grants it, and the configuration warns about it", () => {
    const t = withMenu(MENU, '        cos: default\n');
    expect(choose(t, '19055551234')).toMatchObject({ kind: 'outbound', route: { line: 'longdistance', number: '+19055551234' } });
    const text = DEFAULT_YAML.replace('    timeSets:\n', `    applications:\n      attendant:\n        number: '500'\n        kind: ivr\n        cos: default\n        menu: ${MENU}\n    timeSets:\n`);
    expect(parseConfig(text, 'x.yaml').warnings).toContainEqual(expect.objectContaining({ key: 'tenants.demo.applications.attendant.cos', kind: 'risky' }));
  });

  it("input length: one digit for options only, the longest listed extension for dial-by-extension, a whole number when the IVR's CoS grants an outgoing line", () => {
    const len = (t: Tenant) => maxMenuDigits(t, t.applications.get('attendant')!.menu!);
    expect(len(withMenu("{ prompts: [main-menu], options: { '1': { extension: '100' } } }"))).toBe(1);
    expect(len(withMenu(MENU))).toBe(3);
    expect(len(withMenu(MENU, '        cos: default\n'))).toBe(20);
  });

  it('configuration errors: an ivr without a menu, an option naming an unknown extension', () => {
    const noMenu = configErrorOf(DEFAULT_YAML.replace('    timeSets:\n', "    applications:\n      attendant: { number: '500', kind: ivr }\n    timeSets:\n"));
    expect(noMenu.key).toBe('tenants.demo.applications.attendant.menu');
    const badExt = configErrorOf(
      DEFAULT_YAML.replace('    timeSets:\n', "    applications:\n      attendant: { number: '500', kind: ivr, menu: { prompts: [x], options: { '1': { extension: '999' } } } }\n    timeSets:\n"),
    );
    expect(badExt.key).toBe('tenants.demo.applications.attendant.menu.options.1.extension');
  });
});
