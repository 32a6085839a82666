import type Srf from 'drachtio-srf';
import type { Trunk } from '../../domain/index.js';
import { trunkUri } from './trunk-uri.js';
import { getParam, splitHeaderValues, userOf } from '../../sip/index.js';

/** What a REGISTER ended with: the final status, the granted expiry, a 423's Min-Expires. */
export interface RegisterAnswer {
  status: number;
  /** seconds granted (our Contact's `expires`, else the Expires header) */
  expires?: number;
  minExpires?: number;
}

/** Sends one REGISTER (the client keeps Call-ID and CSeq across refreshes, RFC 3261 §10.2.4). */
export type RegisterSender = (expires: number, callId: string, cseq: number) => Promise<RegisterAnswer>;

interface SentRequest {
  on(event: 'response', listener: (res: { status: number; get(name: string): string | undefined }) => void): void;
}
type SendRequest = (uri: string, opts: { method: string; headers: Record<string, string>; auth?: { username: string; password: string } }, cb: (err: unknown, req?: SentRequest) => void) => void;

/** Longest wait for a REGISTER's final answer (the engine's Timer F is 32 s). */
const ANSWER_TIMEOUT_MS = 10_000;

/**
 * REGISTER of `sip:<username>@<trunk host>` with Contact `<sip:<username>@<our address>>` (the
 * engine fills in its address for `localhost`); srf answers a 401/407 with the credentials.
 * Transport failures resolve as status 503 (as the engine synthesizes them); no answer as 408.
 */
export function srfRegisterSender(srf: Srf, trunk: Trunk): RegisterSender {
  const reg = trunk.register;
  if (reg === undefined) throw new Error(`trunk ${trunk.name} does not register`);
  const aor = trunkUri(trunk, reg.username).replace(/;transport=\w+$/, '');
  return (expires, callId, cseq) =>
    new Promise<RegisterAnswer>((resolve) => {
      let done = false;
      const finish = (a: RegisterAnswer): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve(a);
      };
      const timer = setTimeout(() => finish({ status: 408 }), ANSWER_TIMEOUT_MS);
      timer.unref();
      const send = srf.request.bind(srf) as unknown as SendRequest;
      const headers = {
        From: `<${aor}>`,
        To: `<${aor}>`,
        'Call-ID': callId,
        CSeq: `${cseq} REGISTER`,
        Contact: `<sip:${reg.username}@localhost${trunk.transport === 'tcp' ? ';transport=tcp' : ''}>`,
        Expires: String(expires),
      };
      try {
        send(
          trunkUri(trunk),
          {
            method: 'REGISTER',
            headers,
            ...(reg.password !== undefined && { auth: { username: reg.username, password: reg.password } }),
          },
          (err, req) => {
            if (err || req === undefined) return finish({ status: 503 });
            req.on('response', (res) => {
              if (res.status < 200) return;
              finish({ status: res.status, ...grantedExpiry(res, reg.username), ...minExpires(res) });
            });
          },
        );
      } catch {
        finish({ status: 503 });
      }
    });
}

/** The expiry the registrar granted our Contact (RFC 3261 §10.2.4), else the Expires header. */
export function grantedExpiry(res: { get(name: string): string | undefined }, user: string): { expires?: number } {
  const contacts = res.get('Contact') ?? '';
  // our Contact among possibly several: the one with our user part
  for (const c of splitHeaderValues(contacts)) {
    if (userOf(c) !== user) continue;
    const expires = getParam(c, 'expires');
    if (expires !== undefined && /^\d+$/.test(expires)) return { expires: Number(expires) };
  }
  const h = Number.parseInt(res.get('Expires') ?? '', 10);
  return Number.isFinite(h) ? { expires: h } : {};
}

function minExpires(res: { get(name: string): string | undefined }): { minExpires?: number } {
  const v = Number.parseInt(res.get('Min-Expires') ?? '', 10);
  return Number.isFinite(v) ? { minExpires: v } : {};
}
