import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import { promptFile } from '../../../src/app/media/prompts.js';
import { configErrorOf, tenantYaml } from '../config/helpers.js';

describe('prompts per tenant and language', () => {
  const media = parseConfig(tenantYaml(), 'x.yaml').media;

  it('a prompt name is <soundsDir>/<language>/<name>.wav, in the platform language by default', () => {
    expect(promptFile(media, 'welcome')).toBe(`${resolve('sounds')}/en/welcome.wav`);
    expect(promptFile({ ...media, soundsDir: '/srv/sounds', language: 'de' }, 'welcome')).toBe('/srv/sounds/de/welcome.wav');
  });

  it("a tenant's own language picks its directory; streams and paths are used as written", () => {
    const t = parseConfig(tenantYaml().replace('    domain: demo.local\n', '    domain: demo.local\n    language: fr-ca\n'), 'x.yaml').tenants.get('demo')!;
    expect(t.language).toBe('fr-ca');
    expect(promptFile(media, 'welcome', t)).toBe(`${resolve('sounds')}/fr-ca/welcome.wav`);
    expect(promptFile(media, 'tone_stream://%(100,0,440)', t)).toBe('tone_stream://%(100,0,440)');
    expect(promptFile(media, '/abs/x.wav', t)).toBe('/abs/x.wav');
  });

  it('a language that is not a plain directory name is refused, naming the key', () => {
    const e = configErrorOf(tenantYaml().replace('    domain: demo.local\n', "    domain: demo.local\n    language: '../etc'\n"));
    expect(e.key).toBe('tenants.demo.language');
  });
});
