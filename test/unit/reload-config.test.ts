import { readFileSync } from 'node:fs';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { ConfigHolder } from '../../src/app/config-holder.js';
import { parseConfig, type Config } from '../../src/config/index.js';
import { ConfigError } from '../../src/config/index.js';
import { reloadConfig } from '../../src/ops/reload/reload-config.js';

const shipped = readFileSync('config/default.yaml', 'utf8');
const log = pino({ level: 'silent' });

describe('configuration reload', () => {
  it('replaces the tenants at once; a Tenant taken before (a call in progress) is unchanged', () => {
    const holder = new ConfigHolder(parseConfig(shipped, 'a.yaml'));
    const inProgress = holder.current().tenants.get('demo')!;
    const outcome = reloadConfig(holder, () => parseConfig(shipped.replace('password: demo101', 'password: other-101'), 'a.yaml'), log);
    expect(outcome).toMatchObject({ ok: true, tenants: ['demo'], kept: [] });
    expect(holder.current().tenants.get('demo')!.extensions.get('101')!.password).toBe('other-101');
    expect(inProgress.extensions.get('101')!.password).toBe('demo101');
  });

  it('keeps the running listen addresses, engine and media settings, and says which differ', () => {
    const holder = new ConfigHolder(parseConfig(shipped, 'a.yaml'));
    const before: Config = holder.current();
    const moved = shipped.replace('    - host: 127.0.0.1\n      port: 5060', '    - host: 127.9.9.9\n      port: 5070').replace('  port: 9022', '  port: 9999') + 'media:\n  mode: off\n';
    const outcome = reloadConfig(holder, () => parseConfig(moved, 'a.yaml'), log);
    expect(outcome).toMatchObject({ ok: true, kept: ['sip', 'drachtio', 'media'] });
    expect(holder.current().sip).toBe(before.sip);
    expect(holder.current().drachtio).toBe(before.drachtio);
    expect(holder.current().media).toBe(before.media);
    expect(holder.current()).not.toBe(before);
  });

  it('a bad file changes nothing and returns the loader error (file, key, problem)', () => {
    const holder = new ConfigHolder(parseConfig(shipped, 'a.yaml'));
    const before = holder.current();
    const outcome = reloadConfig(holder, () => parseConfig(shipped.replace('cos: default\n        callerId: { name: Bob', 'cos: nope\n        callerId: { name: Bob'), 'b.yaml'), log);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error).toBeInstanceOf(ConfigError);
    expect(outcome.error).toMatchObject({ file: 'b.yaml', key: 'tenants.demo.extensions.101.cos' });
    expect(holder.current()).toBe(before);
  });
});
