import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import { applyEnvironment } from '../../../src/ops/environment.js';
import { configErrorOf, tenantYaml } from './helpers.js';

const withMedia = (media: string): string => `media:\n${media}\n${tenantYaml()}`;

describe('media configuration: one FreeSWITCH event socket or several', () => {
  it('a single freeswitch server is a list of one, with the defaults filled in', () => {
    const c = parseConfig(withMedia('  mode: freeswitch\n  freeswitch: { host: fs1 }'), 'x.yaml');
    expect(c.media.freeswitch).toEqual([{ host: 'fs1', port: 8021, secret: 'ClueCon', listenAddress: '0.0.0.0' }]);
  });

  it('a list names every media server calls are spread over', () => {
    const c = parseConfig(withMedia('  mode: freeswitch\n  freeswitch:\n    - { host: fs1, secret: s1 }\n    - { host: fs2, port: 8022, secret: s2, advertisedAddress: app }'), 'x.yaml');
    expect(c.media.freeswitch.map((s) => `${s.host}:${s.port}`)).toEqual(['fs1:8021', 'fs2:8022']);
    expect(c.media.freeswitch[1]!.advertisedAddress).toBe('app');
  });

  it('an empty list and a bad port are refused, naming the key', () => {
    expect(configErrorOf(withMedia('  freeswitch: []')).key).toBe('media.freeswitch');
    expect(configErrorOf(withMedia('  freeswitch:\n    - { host: fs1, port: 70000 }')).key).toBe('media.freeswitch[0].port');
  });

  it('the embedded media threads ask for nice -10 unless media.embedded.priority says otherwise; out of -20…19 is refused, naming the key', () => {
    expect(parseConfig(withMedia('  mode: embedded'), 'x.yaml').media.embedded.priority).toBe(-10);
    expect(parseConfig(withMedia('  embedded: { priority: 0 }'), 'x.yaml').media.embedded.priority).toBe(0);
    expect(configErrorOf(withMedia('  embedded: { priority: -30 }')).key).toBe('media.embedded.priority');
    expect(configErrorOf(withMedia('  embedded: { priority: 1.5 }')).key).toBe('media.embedded.priority');
  });

  it('the embedded media threads ask for SCHED_RR 10 unless media.embedded.realtimePriority says otherwise (0: normal class); out of 0…99 is refused, naming the key', () => {
    expect(parseConfig(withMedia('  mode: embedded'), 'x.yaml').media.embedded.realtimePriority).toBe(10);
    expect(parseConfig(withMedia('  embedded: { realtimePriority: 0 }'), 'x.yaml').media.embedded.realtimePriority).toBe(0);
    expect(parseConfig(withMedia('  embedded: { realtimePriority: 99 }'), 'x.yaml').media.embedded.realtimePriority).toBe(99);
    expect(configErrorOf(withMedia('  embedded: { realtimePriority: 100 }')).key).toBe('media.embedded.realtimePriority');
    expect(configErrorOf(withMedia('  embedded: { realtimePriority: -1 }')).key).toBe('media.embedded.realtimePriority');
  });

  it('media.embedded.threads and redis.commandTimeoutMs are read from YAML as numbers (the reader hands numbers over as text)', () => {
    expect(parseConfig(withMedia('  embedded: { threads: 2 }'), 'x.yaml').media.embedded.threads).toBe(2);
    expect(configErrorOf(withMedia('  embedded: { threads: 17 }')).key).toBe('media.embedded.threads');
    expect(parseConfig(`redis: { url: 'redis://127.0.0.1:6379', commandTimeoutMs: 250 }\n${withMedia('  mode: off')}`, 'x.yaml').redis?.commandTimeoutMs).toBe(250);
  });

  it('FREESWITCH_SECRET sets the secret of every server', () => {
    const c = parseConfig(withMedia('  mode: freeswitch\n  freeswitch: [{ host: fs1 }, { host: fs2 }]'), 'x.yaml');
    const env = applyEnvironment(c, { FREESWITCH_SECRET: 'from-env' });
    expect(env.media.freeswitch.map((s) => s.secret)).toEqual(['from-env', 'from-env']);
  });

  it('docker/production.yaml (the compose configuration) loads: media through the freeswitch service, the app advertised as app', () => {
    const c = parseConfig(readFileSync('docker/production.yaml', 'utf8'), 'docker/production.yaml');
    expect(c.media.mode).toBe('freeswitch');
    expect(c.media.freeswitch).toEqual([expect.objectContaining({ host: 'freeswitch', port: 8021, listenAddress: '0.0.0.0', advertisedAddress: 'app' })]);
  });
});
