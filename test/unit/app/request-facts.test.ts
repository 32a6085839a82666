import type Srf from 'drachtio-srf';
import { describe, expect, it } from 'vitest';
import { requestDomain, userOfUri } from '../../../src/app/handlers/request-facts.js';
import { callerUser } from '../../../src/app/voicemail/leave-message.js';

const req = (method: string, uri: string, from?: string): Srf.SrfRequest => ({ method, uri, headers: from === undefined ? {} : { from } }) as unknown as Srf.SrfRequest;

describe('request facts read through the shared SIP grammar', () => {
  it('the domain: R-URI host for REGISTER, From host otherwise', () => {
    expect(requestDomain(req('REGISTER', 'sip:Demo.Local;transport=tcp'))).toBe('demo.local');
    expect(requestDomain(req('INVITE', 'sip:200@10.0.0.1', '"Bob" <sip:101@demo.local>;tag=1'))).toBe('demo.local');
    expect(requestDomain(req('INVITE', 'sip:200@10.0.0.1'))).toBeUndefined();
    expect(requestDomain(req('INVITE', 'sip:200@10.0.0.1', 'tel:+15551234'))).toBeUndefined();
  });

  it('the user part, %-decoded, password removed', () => {
    expect(userOfUri('<sip:100_2@demo.local>')).toBe('100_2');
    expect(userOfUri('sip:%31%30%30:pw@demo.local')).toBe('100');
    expect(userOfUri('sip:demo.local')).toBeUndefined();
    // the URI inside the brackets, not a sip: text in the display name
    expect(userOfUri('"sip:999@x" <sip:101@demo.local>')).toBe('101');
    // the grammar's user part may hold ';' (RFC 3261 §19.1.1); the old pattern found no user
    expect(userOfUri('sip:alice;day=tue@h')).toBe('alice;day=tue');
    // a malformed escape stays as written
    expect(userOfUri('sip:%zz@h')).toBe('%zz');
  });

  it('the voicemail caller: the From user as written, else the fallback', () => {
    expect(callerUser('"Bob" <sip:101@demo.local>;tag=1', 'x')).toBe('101');
    expect(callerUser('<sip:101:secret@demo.local>', 'x')).toBe('101');
    expect(callerUser('<tel:+15551234>', '4165550101')).toBe('4165550101');
  });
});
