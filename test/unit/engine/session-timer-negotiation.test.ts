import { describe, expect, it } from 'vitest';
import { SipMessage } from '../../../src/sip/index.js';
import type { Core } from '../../../src/engine/core/contexts.js';
import { negotiateUas } from '../../../src/engine/core/session-timers.js';
import { realClock } from '../../../src/engine/dialog/session-timer.js';

// doRespondToSipRequest in drachtio-server: what the app's 200 to an initial INVITE carries and who refreshes.
const core = (defaultRefresher: 'uac' | 'uas' | 'none' = 'none'): Core => ({ sessionTimers: { clock: realClock, defaultRefresher } }) as unknown as Core;

function invite(se?: string): SipMessage {
  const m = SipMessage.request('INVITE', 'sip:a@127.8.0.1');
  if (se) m.addHeader('Session-Expires', se);
  return m;
}

function ok(se?: string): SipMessage {
  const m = SipMessage.response(200, 'OK');
  if (se) m.addHeader('Session-Expires', se);
  return m;
}

describe('UAS session-timer negotiation', () => {
  it("echoes the caller's refresher=uac: the caller refreshes", () => {
    const res = ok();
    expect(negotiateUas(core(), invite('1800;refresher=uac'), res)).toEqual({ secs: 1800, who: 'them' });
    expect(res.getHeader('Session-Expires')).toBe('1800;refresher=uac');
  });

  it('echoes refresher=uas: we refresh', () => {
    const res = ok();
    expect(negotiateUas(core(), invite('600;refresher=uas'), res)).toEqual({ secs: 600, who: 'us' });
    expect(res.getHeader('Session-Expires')).toBe('600;refresher=uas');
  });

  it('raises an interval below 90 s to 90', () => {
    const res = ok();
    expect(negotiateUas(core(), invite('30;refresher=uac'), res)).toEqual({ secs: 90, who: 'them' });
    expect(res.getHeader('Session-Expires')).toBe('90;refresher=uac');
  });

  it('an offer without refresher runs no timer under the default refresher "none"', () => {
    const res = ok();
    expect(negotiateUas(core(), invite('1800'), res)).toBeUndefined();
    expect(res.getHeader('Session-Expires')).toBeUndefined();
  });

  it('an offer without refresher takes the configured default refresher', () => {
    const res = ok();
    expect(negotiateUas(core('uas'), invite('1800'), res)).toEqual({ secs: 1800, who: 'us' });
    expect(res.getHeader('Session-Expires')).toBe('1800;refresher=uas');
  });

  it("the app's own Session-Expires wins and is sent unchanged; no refresher means the caller refreshes", () => {
    const res = ok('120');
    expect(negotiateUas(core(), invite('1800;refresher=uas'), res)).toEqual({ secs: 120, who: 'them' });
    expect(res.getHeaderValues('Session-Expires')).toEqual(['120']);
  });

  it('no Session-Expires on either side: no timer', () => {
    expect(negotiateUas(core('uac'), invite(), ok())).toBeUndefined();
  });
});
