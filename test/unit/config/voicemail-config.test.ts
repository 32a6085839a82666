import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import { configErrorOf, tenantYaml } from './helpers.js';

describe('voicemail configuration', () => {
  it('a mailbox compiles with its PIN and afterSeconds (default 20)', () => {
    const c = parseConfig(tenantYaml({ extensions: `{ '100': { password: p, voicemail: { pin: '4321' } }, '101': { password: q, voicemail: { pin: '98765', afterSeconds: 7 } } }` }), 'x.yaml');
    const t = c.tenants.get('demo')!;
    expect(t.extensions.get('100')!.voicemail).toEqual({ pin: '4321', afterSeconds: 20 });
    expect(t.extensions.get('101')!.voicemail).toEqual({ pin: '98765', afterSeconds: 7 });
  });

  it('a PIN that is not 4 to 12 digits is refused, naming the key', () => {
    const e = configErrorOf(tenantYaml({ extensions: `{ '100': { password: p, voicemail: { pin: '12a' } } }` }));
    expect(e.key).toBe('tenants.demo.extensions.100.voicemail.pin');
    expect(e.problem).toContain('4 to 12 digits');
  });

  it('an unknown voicemail key and afterSeconds 0 are refused', () => {
    expect(configErrorOf(tenantYaml({ extensions: `{ '100': { password: p, voicemail: { pin: '1234', greeting: x } } }` })).key).toBe('tenants.demo.extensions.100.voicemail');
    expect(configErrorOf(tenantYaml({ extensions: `{ '100': { password: p, voicemail: { pin: '1234', afterSeconds: 0 } } }` })).key).toBe('tenants.demo.extensions.100.voicemail.afterSeconds');
  });

  it('the demo gives 101 a mailbox; media.voicemailDir defaults to voicemail', () => {
    const c = parseConfig(readFileSync('config/default.yaml', 'utf8'), 'config/default.yaml');
    expect(c.media.voicemailDir).toBe('voicemail');
    expect(c.tenants.get('demo')!.extensions.get('101')!.voicemail).toEqual({ pin: '4321', afterSeconds: 20 });
  });
});

describe('voicemail as a forward target', () => {
  it('any forward kind may name voicemail when the extension has a mailbox', () => {
    const c = parseConfig(
      tenantYaml({
        extensions: `{ '100': { password: p, voicemail: { pin: '4321' }, forward: { unconditional: { to: voicemail }, busy: { to: voicemail }, noAnswer: { to: voicemail, afterSeconds: 9 }, unavailable: { to: voicemail } } } }`,
      }),
      'x.yaml',
    );
    expect(
      c.tenants
        .get('demo')!
        .extensions.get('100')!
        .forwards.map((f) => `${f.kind}→${f.to}`),
    ).toEqual(['unconditional→voicemail', 'busy→voicemail', 'noAnswer→voicemail', 'unavailable→voicemail']);
  });

  it('a forward to voicemail without a mailbox is refused, naming the key', () => {
    const e = configErrorOf(tenantYaml({ extensions: `{ '100': { password: p, forward: { busy: { to: voicemail } } } }` }));
    expect(e.key).toBe('tenants.demo.extensions.100.forward.busy.to');
    expect(e.problem).toContain('needs a mailbox');
  });

  it('an extension may not be numbered "voicemail"', () => {
    const e = configErrorOf(tenantYaml({ extensions: `{ '100': { password: p }, voicemail: { password: q } }` }));
    expect(e.key).toBe('tenants.demo.extensions.voicemail');
    expect(e.problem).toContain('reserved');
  });
});
