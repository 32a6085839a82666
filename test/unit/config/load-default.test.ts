import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadConfig, parseConfig } from '../../../src/config/load.js';
import { ringTimeoutSeconds } from '../../../src/domain/routing/ring-timeout.js';
import { resolveCaller } from '../../../src/domain/routing/caller.js';
import { decideRoute } from '../../../src/domain/routing/decide.js';

const DEFAULT_YAML = fileURLToPath(new URL('../../../config/default.yaml', import.meta.url));

describe('config/default.yaml (the runnable demo)', () => {
  const config = loadConfig(DEFAULT_YAML);
  const demo = config.tenants.get('demo')!;

  it('loads without error and without warnings', () => {
    expect(config.warnings).toEqual([]);
  });

  it('platform sections: listen on 127.0.0.1:5060 udp+tcp, embedded drachtio, registrar 60/3600/120', () => {
    expect(config.sip.listen).toEqual([{ host: '127.0.0.1', port: 5060, transports: ['udp', 'tcp'] }]);
    expect(config.drachtio).toMatchObject({ mode: 'embedded', host: '127.0.0.1', port: 9022, secret: 'cymru' });
    expect(config.registrar).toMatchObject({ minExpires: 60, maxExpires: 3600, defaultExpires: 120 });
    expect(config.auth).toMatchObject({ nonceTtlSeconds: 300, algorithms: ['MD5'], ban: { maxFailures: 10, windowSeconds: 60, banSeconds: 600 } });
    expect(config.redis).toBeUndefined();
    expect(config.http).toMatchObject({ enabled: false });
  });

  it('tenant demo on demo.local with extensions 100 (3 devices), 101, 102 (internal), hot-desk 222', () => {
    expect(demo.domain).toBe('demo.local');
    expect(config.tenantsByDomain.get('demo.local')).toBe(demo);
    expect(demo.extensions.get('100')).toMatchObject({ password: 'demo100', sharedDevices: 3, cos: { name: 'default' } });
    expect(demo.extensions.get('101')).toMatchObject({ password: 'demo101' });
    expect(demo.extensions.get('102')).toMatchObject({ password: 'demo102', cos: { name: 'internal' } });
    expect(demo.extensions.get('222')).toMatchObject({ hotDeskPin: '1234' });
  });

  it('calls to extensions ring 30 s by default; an extension may ring longer than its tenant', () => {
    expect(ringTimeoutSeconds(demo, demo.extensions.get('100'))).toBe(30);
    const own = parseConfig(
      readFileSync(DEFAULT_YAML, 'utf8').replace('        password: demo101           # demo only\n', '        password: demo101           # demo only\n        ringTimeoutSeconds: 90\n'),
      'x.yaml',
    ).tenants.get('demo')!;
    expect(ringTimeoutSeconds(own, own.extensions.get('101'))).toBe(90);
    expect(ringTimeoutSeconds(own, own.extensions.get('100'))).toBe(30);
  });

  it('trunks bellprimarysbc then bellsecondarysbc on every outgoing line, trusted from their addresses', () => {
    expect(demo.trunks.get('bellprimarysbc')).toMatchObject({ host: '127.0.0.51', port: 5060, transport: 'udp', trustedAddresses: ['127.0.0.51'] });
    expect(demo.trunks.get('bellsecondarysbc')).toMatchObject({ host: '127.0.0.52', port: 5060, transport: 'udp', trustedAddresses: ['127.0.0.52'] });
    for (const line of demo.outgoingLines)
      expect(
        line.trunks.map((t) => t.name),
        line.name,
      ).toEqual(['bellprimarysbc', 'bellsecondarysbc']);
  });

  it('CoS default follows the recommended order and has no premium, operator-assisted or casual-dial line', () => {
    const cos = demo.cos.get('default')!;
    const names = cos.outgoingLines === 'all' ? [] : cos.outgoingLines.map((l) => l.name);
    expect(names).toEqual(['private-tollfree', 'private-longdistance', 'private-local', 'tollfree', 'longdistance', 'local', 'international', 'carrierservices']);
    expect(cos.emergencyLines.map((e) => e.number)).toEqual(['911']);
    expect(cos.bannedPrefixLists.map((b) => b.name)).toEqual(['premiumnumbersbannedprefixes']);
  });

  it("the main line (DNIS 4165550100) is answered by the auto-attendant; Alice's direct line 4165550199 rings extension 100", () => {
    const main = [...demo.incomingLines.values()].find((l) => l.dnis === '4165550100');
    expect(main?.destination).toEqual({ kind: 'application', application: 'attendant' });
    const direct = [...demo.incomingLines.values()].find((l) => l.dnis === '4165550199');
    expect(direct?.destination).toEqual({ kind: 'extension', extension: '100' });
  });

  it('102 (internal) reaches extensions and 911 only', () => {
    const route = (dialled: string) => decideRoute({ tenant: demo, caller: resolveCaller(demo, '102'), dialled, at: Date.now() });
    expect(route('100').action).toBe('local');
    expect(route('911').action).toBe('emergency');
    expect(route('4165551212')).toMatchObject({ action: 'reject', status: 403 });
  });
});
