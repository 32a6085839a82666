import { describe, expect, it } from 'vitest';
import { DigestAuthenticator } from '../../../src/app/auth/digest-authenticator.js';
import { computeDigestResponse } from '../../../src/app/auth/digest-hash.js';
import type { CredentialLookup } from '../../../src/app/auth/types.js';
import { authorization, FakeClock, h, nonceFrom } from './helpers.js';

const REALM = 'demo.example';
const URI = 'sip:demo.example';
const accounts: Record<string, { password: string; sharedDevices?: number }> = {
  '100': { password: 'demo100', sharedDevices: 3 },
  '101': { password: 'demo101' },
};
const lookup: CredentialLookup = (realm, ext) => (realm === REALM ? accounts[ext] : undefined);

function setup(opts: { ttl?: number; algorithms?: readonly ('SHA-256' | 'MD5')[] } = {}) {
  const clock = new FakeClock();
  const auth = new DigestAuthenticator({
    secrets: ['test-secret'],
    credentials: lookup,
    clock,
    nonceTtlSeconds: opts.ttl,
    ...(opts.algorithms && { algorithms: opts.algorithms }),
  });
  const nonce = () => nonceFrom(auth.challenge('REGISTER', REALM).values[0]!);
  const verify = (header: string | string[] | undefined, method = 'REGISTER', realm = REALM) => auth.verify({ method, realm, credentials: header });
  return { clock, auth, nonce, verify };
}

const client = (over: Partial<Parameters<typeof authorization>[0]> & { nonce: string }) =>
  authorization({ alg: 'MD5', username: '100', realm: REALM, password: 'demo100', method: 'REGISTER', uri: URI, ...over });

describe('digest challenge', () => {
  it('by default REGISTER gets one 401 WWW-Authenticate offering MD5 with qop=auth (the challenge every client answers)', () => {
    const { auth } = setup();
    const c = auth.challenge('REGISTER', REALM);
    expect(c.status).toBe(401);
    expect(c.values).toEqual([expect.stringMatching(/^Digest realm="demo\.example", nonce="[^"]+", algorithm=MD5, qop="auth"$/)]);
  });

  it('configured [SHA-256, MD5]: REGISTER gets 401 offering SHA-256 then MD5, one nonce', () => {
    const { auth } = setup({ algorithms: ['SHA-256', 'MD5'] });
    const c = auth.challenge('REGISTER', REALM);
    expect(c.status).toBe(401);
    expect(c.challengeHeader).toBe('WWW-Authenticate');
    expect(c.values).toHaveLength(2);
    expect(c.values[0]).toMatch(/^Digest realm="demo\.example", nonce="[^"]+", algorithm=SHA-256, qop="auth"$/);
    expect(c.values[1]).toMatch(/algorithm=MD5, qop="auth"$/);
    expect(nonceFrom(c.values[0]!)).toBe(nonceFrom(c.values[1]!));
  });

  it('other methods get 407 Proxy-Authenticate; stale adds stale=true', () => {
    const { auth } = setup();
    const c = auth.challenge('INVITE', REALM, true);
    expect(c.status).toBe(407);
    expect(c.challengeHeader).toBe('Proxy-Authenticate');
    expect(c.credentialsHeader).toBe('proxy-authorization');
    expect(c.values[0]).toContain('stale=true');
  });

  it('two challenges in the same millisecond carry different nonces', () => {
    const { nonce } = setup();
    expect(nonce()).not.toBe(nonce());
  });
});

describe('digest verification', () => {
  it('no credentials, or only a non-Digest scheme → challenge', () => {
    const { verify } = setup();
    expect(verify(undefined)).toEqual({ kind: 'challenge', stale: false });
    expect(verify('Basic dXNlcjpwYXNz==')).toEqual({ kind: 'challenge', stale: false });
  });

  it('MD5 with qop=auth → ok', () => {
    const { verify, nonce } = setup();
    expect(verify(client({ nonce: nonce() }))).toMatchObject({ kind: 'ok', username: '100', extension: '100', algorithm: 'MD5' });
  });

  it('SHA-256 with qop=auth → ok when SHA-256 is offered', () => {
    const { verify, nonce } = setup({ algorithms: ['SHA-256', 'MD5'] });
    expect(verify(client({ alg: 'SHA-256', nonce: nonce() }))).toMatchObject({ kind: 'ok', algorithm: 'SHA-256' });
  });

  it('SHA-256 credentials when only MD5 is offered → bad request, not a silent downgrade check', () => {
    const { verify, nonce } = setup();
    expect(verify(client({ alg: 'SHA-256', nonce: nonce() }))).toMatchObject({ kind: 'forbidden', reason: 'bad-request', detail: 'algorithm not offered' });
  });

  it('a per-extension policy: 101 is challenged SHA-256 only (by its device user 101), 100_2 MD5; each verified against its own set', () => {
    const clock = new FakeClock();
    const auth = new DigestAuthenticator({
      secrets: ['s'],
      credentials: lookup,
      clock,
      algorithmsFor: (_realm, ext) => (ext === '101' ? ['SHA-256'] : ['MD5']),
    });
    const c101 = auth.challenge('REGISTER', REALM, false, '101');
    const c100 = auth.challenge('REGISTER', REALM, false, '100_2');
    expect(c101.values).toEqual([expect.stringMatching(/algorithm=SHA-256, qop="auth"$/)]);
    expect(c100.values).toEqual([expect.stringMatching(/algorithm=MD5, qop="auth"$/)]);
    const as101 = (alg: 'MD5' | 'SHA-256', n: string) => client({ alg, nonce: n, username: '101', password: 'demo101' });
    const verify = (h: string) => auth.verify({ method: 'REGISTER', realm: REALM, credentials: h });
    expect(verify(as101('SHA-256', nonceFrom(c101.values[0]!)))).toMatchObject({ kind: 'ok', algorithm: 'SHA-256' });
    expect(verify(as101('MD5', nonceFrom(auth.challenge('REGISTER', REALM, false, '101').values[0]!)))).toMatchObject({ kind: 'forbidden', reason: 'bad-request' });
    expect(verify(client({ nonce: nonceFrom(c100.values[0]!), username: '100_2' }))).toMatchObject({ kind: 'ok', algorithm: 'MD5' });
  });

  it('without qop (RFC 2069) → ok, and a reused nonce earns a stale challenge', () => {
    const { verify, nonce } = setup();
    const n = nonce();
    expect(verify(client({ nonce: n, qop: false })).kind).toBe('ok');
    expect(verify(client({ nonce: n, qop: false }))).toEqual({ kind: 'challenge', stale: true });
  });

  it('INVITE (Proxy-Authorization) hashes its own method', () => {
    const { verify, nonce } = setup();
    const n = nonce();
    expect(verify(client({ nonce: n, method: 'INVITE', uri: 'sip:200@demo.example' }), 'INVITE').kind).toBe('ok');
    expect(verify(client({ nonce: n, nc: '00000002', method: 'INVITE' }), 'REGISTER')).toMatchObject({
      kind: 'forbidden',
      reason: 'wrong-password',
    });
  });

  it('wrong password → forbidden wrong-password', () => {
    const { verify, nonce } = setup();
    expect(verify(client({ nonce: nonce(), password: 'guess' }))).toMatchObject({ kind: 'forbidden', reason: 'wrong-password', username: '100' });
  });

  it('unknown user → forbidden unknown-user', () => {
    const { verify, nonce } = setup();
    expect(verify(client({ nonce: nonce(), username: '999' }))).toMatchObject({ kind: 'forbidden', reason: 'unknown-user' });
  });

  it("shared devices 100, 100_2 and 100_3 authenticate with 100's password", () => {
    const { verify, nonce } = setup();
    for (const [username, idx] of [
      ['100', 1],
      ['100_2', 2],
      ['100_3', 3],
    ] as const) {
      expect(verify(client({ nonce: nonce(), username }))).toMatchObject({ kind: 'ok', username, extension: '100', deviceIndex: idx });
    }
  });

  it('100_4 (over the limit) and 100_1 → forbidden device-over-limit', () => {
    const { verify, nonce } = setup();
    for (const username of ['100_4', '100_1']) {
      expect(verify(client({ nonce: nonce(), username }))).toMatchObject({ kind: 'forbidden', reason: 'device-over-limit', username });
    }
    expect(verify(client({ nonce: nonce(), username: '101_2', password: 'demo101' }))).toMatchObject({ reason: 'device-over-limit' });
  });

  it('over-limit device with a wrong password reports wrong-password', () => {
    const { verify, nonce } = setup();
    expect(verify(client({ nonce: nonce(), username: '100_4', password: 'x' }))).toMatchObject({ reason: 'wrong-password' });
  });

  it('credentials for another realm → forbidden realm-mismatch', () => {
    const { verify, nonce } = setup();
    expect(verify(client({ nonce: nonce(), realm: 'other.example' }))).toMatchObject({ kind: 'forbidden', reason: 'realm-mismatch' });
  });

  it('a nonce issued for another realm is not accepted (new challenge)', () => {
    const { auth, verify } = setup();
    const foreign = nonceFrom(auth.challenge('REGISTER', 'other.example').values[0]!);
    expect(verify(client({ nonce: foreign }))).toEqual({ kind: 'challenge', stale: false });
  });

  it('a forged or garbled nonce → challenge (not stale)', () => {
    const { verify, nonce } = setup();
    const n = nonce();
    const forged = (n[0] === 'A' ? 'B' : 'A') + n.slice(1);
    expect(verify(client({ nonce: forged }))).toEqual({ kind: 'challenge', stale: false });
    expect(verify(client({ nonce: 'short' }))).toEqual({ kind: 'challenge', stale: false });
  });

  it('expired nonce with a correct response → challenge stale=true', () => {
    const { verify, nonce, clock } = setup({ ttl: 300 });
    const n = nonce();
    clock.advance(299_999);
    expect(verify(client({ nonce: n })).kind).toBe('ok');
    clock.advance(1);
    expect(verify(client({ nonce: n, nc: '00000002' }))).toEqual({ kind: 'challenge', stale: true });
  });

  it('expired nonce with a wrong response → forbidden wrong-password (counts as a guess)', () => {
    const { verify, nonce, clock } = setup({ ttl: 300 });
    const n = nonce();
    clock.advance(301_000);
    expect(verify(client({ nonce: n, password: 'bad' }))).toMatchObject({ kind: 'forbidden', reason: 'wrong-password' });
  });

  it('replay: nc must increase per nonce', () => {
    const { verify, nonce } = setup();
    const n = nonce();
    expect(verify(client({ nonce: n, nc: '00000001' })).kind).toBe('ok');
    expect(verify(client({ nonce: n, nc: '00000001' }))).toMatchObject({ kind: 'forbidden', reason: 'replay' });
    expect(verify(client({ nonce: n, nc: '00000003' })).kind).toBe('ok');
    expect(verify(client({ nonce: n, nc: '00000002' }))).toMatchObject({ kind: 'forbidden', reason: 'replay' });
  });

  it('a wrong response does not consume the nonce count', () => {
    const { verify, nonce } = setup();
    const n = nonce();
    expect(verify(client({ nonce: n, nc: 'ffffffff', password: 'bad' })).kind).toBe('forbidden');
    expect(verify(client({ nonce: n, nc: '00000001' })).kind).toBe('ok');
  });

  it('malformed or incomplete Digest credentials → forbidden bad-request', () => {
    const { verify, nonce } = setup();
    const n = nonce();
    expect(verify('Digest username="100", realm="demo.example"')).toMatchObject({ reason: 'bad-request' });
    expect(verify('Digest username="100" realm=')).toMatchObject({ reason: 'bad-request' });
    expect(verify(client({ nonce: n }).replace('algorithm=MD5', 'algorithm=SHA-512'))).toMatchObject({ reason: 'bad-request' });
    expect(verify(client({ nonce: n }).replace('qop=auth', 'qop=auth-int'))).toMatchObject({ reason: 'bad-request' });
    expect(verify(client({ nonce: n }).replace('nc=00000001', 'nc=1'))).toMatchObject({ reason: 'bad-request' });
  });

  it('picks the credentials for our realm among several headers', () => {
    const { verify, nonce } = setup();
    const other = 'Digest username="x", realm="upstream", nonce="n", uri="sip:x", response="00"';
    expect(verify([other, client({ nonce: nonce() })]).kind).toBe('ok');
    expect(verify(`${other}, ${client({ nonce: nonce() })}`).kind).toBe('ok');
  });
});

describe('digest hash vectors', () => {
  it('RFC 7616 §3.9.1 example (MD5 and SHA-256), recomputed independently', () => {
    const base = {
      username: 'Mufasa',
      realm: 'http-auth@example.org',
      password: 'Circle of Life',
      method: 'GET',
      digestUri: '/dir/index.html',
      nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
      qop: 'auth' as const,
      nc: '00000001',
      cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
    };
    const ours256 = computeDigestResponse({ ...base, algorithm: 'SHA-256' });
    const ha1 = h('sha256', 'Mufasa:http-auth@example.org:Circle of Life');
    const ha2 = h('sha256', 'GET:/dir/index.html');
    expect(ours256).toBe(h('sha256', `${ha1}:${base.nonce}:00000001:${base.cnonce}:auth:${ha2}`));
    expect(ours256).toBe('753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
    expect(computeDigestResponse({ ...base, algorithm: 'MD5' })).toBe('8ca523f5e9506fed4657c9700eebdbec');
  });

  it('-sess variants hash HA1 with nonce and cnonce', () => {
    const d = { username: 'u', realm: 'r', password: 'p', method: 'REGISTER', digestUri: 'sip:r', nonce: 'n', qop: 'auth' as const, nc: '00000001', cnonce: 'c' };
    const ha1 = h('md5', `${h('md5', 'u:r:p')}:n:c`);
    expect(computeDigestResponse({ ...d, algorithm: 'MD5-sess' })).toBe(h('md5', `${ha1}:n:00000001:c:auth:${h('md5', 'REGISTER:sip:r')}`));
  });
});
