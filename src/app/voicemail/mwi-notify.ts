import type { Logger } from 'pino';
import type { Tenant } from '../../domain/index.js';
import type { AppContext } from '../context.js';
import { contactsOfExtension } from '../handlers/register.js';
import type { MailboxCounts } from '../../store/voicemail-store.js';
import { messageSummary } from './mwi-body.js';

interface SentRequest {
  on(event: 'response', listener: (res: { status: number }) => void): void;
}
type SendRequest = (
  uri: string,
  opts: { method: string; headers?: Record<string, string>; body?: string; proxy?: string },
  cb: (err: unknown, req?: SentRequest) => void,
) => void;

/**
 * Message-waiting indication (RFC 3842): an unsolicited, out-of-dialog NOTIFY `message-summary`
 * to every registered binding of the extension, sent where its REGISTER came from (NAT), like a
 * call. Fire and forget: a phone that does not answer only misses the lamp until the next change.
 */
export async function notifyMessageWaiting(ctx: AppContext, tenant: Tenant, extension: string, counts: MailboxCounts, log: Logger): Promise<void> {
  const bindings = await contactsOfExtension(ctx, tenant, extension).catch((err: unknown) => {
    log.warn({ extension, err: err instanceof Error ? err.message : String(err) }, 'MWI not sent: location store unreadable');
    return [];
  });
  const account = `sip:${extension}@${tenant.domain}`;
  const body = messageSummary(counts, account);
  const send = ctx.srf.request.bind(ctx.srf) as unknown as SendRequest;
  for (const b of bindings) {
    const host = b.source.address.includes(':') ? `[${b.source.address}]` : b.source.address;
    const headers = {
      From: `<${account}>;tag=mwi${Date.now().toString(36)}`,
      To: `<sip:${b.deviceUser}@${tenant.domain}>`,
      Event: 'message-summary',
      'Subscription-State': 'active',
      'Content-Type': 'application/simple-message-summary',
    };
    send(b.contactUri, { method: 'NOTIFY', headers, body, proxy: `sip:${host}:${b.source.port};transport=${b.source.transport}` }, (err, req) => {
      if (err || req === undefined) {
        log.info({ extension, device: b.deviceUser, err: err instanceof Error ? err.message : String(err) }, 'MWI NOTIFY not sent');
        return;
      }
      req.on('response', (res) => log.debug({ extension, device: b.deviceUser, status: res.status }, 'MWI NOTIFY answered'));
    });
  }
  log.info({ extension, ...counts, devices: bindings.length }, 'MWI sent');
}
