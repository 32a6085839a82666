import { describe, expect, it } from 'vitest';
import { authenticateDeviceRequest } from '../../../src/app/auth/authenticate-request.js';
import { BanList } from '../../../src/app/auth/ban-list.js';
import { DigestAuthenticator } from '../../../src/app/auth/digest-authenticator.js';
import { authorization, FakeClock, nonceFrom } from './helpers.js';

const REALM = 'demo.example';

function setup() {
  const clock = new FakeClock();
  const auth = new DigestAuthenticator({
    secrets: ['s'],
    clock,
    credentials: (realm, ext) => (realm === REALM && ext === '100' ? { password: 'demo100', sharedDevices: 3 } : undefined),
  });
  const bans = new BanList({ clock, trusted: ['192.0.2.1'] });
  const attempt = (source: string, username: string, password: string) => {
    const first = authenticateDeviceRequest(auth, bans, { method: 'REGISTER', realm: REALM, credentials: undefined, sourceAddress: source });
    if (first.action !== 'respond' || first.status !== 401) return first;
    const nonce = nonceFrom(first.headers['WWW-Authenticate']![0]!);
    const header = authorization({ alg: 'MD5', username, realm: REALM, password, method: 'REGISTER', uri: `sip:${REALM}`, nonce });
    return authenticateDeviceRequest(auth, bans, { method: 'REGISTER', realm: REALM, credentials: header, sourceAddress: source });
  };
  return { clock, auth, bans, attempt };
}

describe('device request authentication flow', () => {
  it('challenge, then proceed with the device identity', () => {
    const { attempt } = setup();
    expect(attempt('203.0.113.1', '100_2', 'demo100')).toEqual({ action: 'proceed', username: '100_2', extension: '100', deviceIndex: 2 });
  });

  it('wrong password, unknown user and over-limit device answer the same 403; logs keep the real reason', () => {
    const { attempt } = setup();
    const outcomes = [attempt('203.0.113.1', '100', 'bad'), attempt('203.0.113.1', '555', 'demo100'), attempt('203.0.113.1', '100_4', 'demo100')];
    for (const o of outcomes) expect(o).toMatchObject({ action: 'respond', status: 403, reason: 'Forbidden', headers: {} });
    expect(outcomes.map((o) => (o.action === 'respond' ? o.log.cause : ''))).toEqual(['wrong-password', 'unknown-user', 'device-over-limit']);
  });

  it('ten wrong passwords ban the address while a correct device elsewhere keeps registering', () => {
    const { attempt } = setup();
    for (let i = 0; i < 9; i++) attempt('203.0.113.66', '100', `guess${i}`);
    expect(attempt('203.0.113.66', '100', 'guess9')).toMatchObject({ status: 403, log: { bannedNow: true } });
    expect(attempt('203.0.113.66', '100', 'demo100')).toMatchObject({ status: 403, log: { cause: 'banned' } });
    expect(attempt('203.0.113.1', '100_3', 'demo100')).toMatchObject({ action: 'proceed' });
  });

  it('over-limit devices with the right password never ban the office NAT', () => {
    const { attempt, bans } = setup();
    for (let i = 0; i < 30; i++) attempt('198.51.100.10', '100_4', 'demo100');
    expect(bans.isBanned('198.51.100.10')).toBe(false);
  });

  it('INVITE from a device gets a 407 with Proxy-Authenticate', () => {
    const { auth, bans } = setup();
    const d = authenticateDeviceRequest(auth, bans, { method: 'INVITE', realm: REALM, credentials: undefined, sourceAddress: '203.0.113.1' });
    expect(d).toMatchObject({ action: 'respond', status: 407, reason: 'Proxy Authentication Required' });
    expect(d.action === 'respond' && Object.keys(d.headers)).toEqual(['Proxy-Authenticate']);
  });
});
