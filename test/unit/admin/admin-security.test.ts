import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ConfigError, parseConfig } from '../../../src/config/index.js';
import { applyEnvironment } from '../../../src/ops/environment.js';
import { bearerMatches } from '../../../src/ops/admin/bearer-token.js';
import { FailureLimiter } from '../../../src/ops/admin/failure-limiter.js';
import { adminWithToken } from '../../../src/ops/admin/require-token.js';

const TOKEN = '0123456789abcdef0123';

describe('bearer token check', () => {
  it('accepts exactly the configured token', () => {
    expect(bearerMatches(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(bearerMatches(`bearer ${TOKEN}`, TOKEN)).toBe(true);
  });
  it.each([undefined, '', TOKEN, `Basic ${TOKEN}`, `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, 'Bearer '])('refuses %j', (header) => {
    expect(bearerMatches(header, TOKEN)).toBe(false);
  });
});

describe('failed-login limiter', () => {
  it('limits a source after 10 failures within the window and forgets them after it', () => {
    let now = 1_000_000;
    const limiter = new FailureLimiter(10, 60_000, { now: () => now });
    for (let i = 0; i < 9; i++) limiter.recordFailure('a');
    expect(limiter.retryAfter('a')).toBe(0);
    limiter.recordFailure('a');
    expect(limiter.retryAfter('a')).toBe(60);
    expect(limiter.retryAfter('b')).toBe(0);
    now += 30_000;
    expect(limiter.retryAfter('a')).toBe(30);
    now += 30_001;
    expect(limiter.retryAfter('a')).toBe(0);
  });
  it('keeps a bounded number of sources', () => {
    const limiter = new FailureLimiter(1, 60_000, { now: () => 5 }, 2);
    for (const s of ['a', 'b', 'c']) limiter.recordFailure(s);
    expect(limiter.retryAfter('a')).toBe(0);
    expect(limiter.retryAfter('c')).toBeGreaterThan(0);
  });
});

describe('admin configuration', () => {
  const base = readFileSync('config/default.yaml', 'utf8');
  it('is off by default and has no default token', () => {
    const c = parseConfig(base, 'default.yaml');
    expect(c.admin).toEqual({ enabled: false, host: '127.0.0.1', port: 8081 });
    expect(() => adminWithToken(c)).toThrow(ConfigError);
  });
  it('takes the token from ADMIN_TOKEN', () => {
    const c = applyEnvironment(parseConfig(base, 'default.yaml'), { ADMIN_TOKEN: TOKEN });
    expect(adminWithToken(c).token).toBe(TOKEN);
  });
  it('names file and key for a missing or short token', () => {
    const enabled = base.replace('admin:\n  enabled: false', 'admin:\n  enabled: true');
    expect(() => adminWithToken(parseConfig(enabled, 'prod.yaml'))).toThrow(/^prod\.yaml: admin\.token: required/);
    const short = base.replace('admin:\n  enabled: false', 'admin:\n  enabled: true\n  token: abc');
    expect(() => parseConfig(short, 'prod.yaml')).toThrow(/prod\.yaml: admin\.token: too short/);
  });
});
