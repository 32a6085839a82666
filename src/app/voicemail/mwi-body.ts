import type { MailboxCounts } from '../../store/voicemail-store.js';

/** RFC 3842 simple-message-summary body for one mailbox (urgent counts are not kept: 0/0). */
export function messageSummary(counts: MailboxCounts, account?: string): string {
  const lines = [`Messages-Waiting: ${counts.newCount > 0 ? 'yes' : 'no'}`];
  if (account !== undefined) lines.push(`Message-Account: ${account}`);
  lines.push(`Voice-Message: ${counts.newCount}/${counts.oldCount} (0/0)`);
  return lines.join('\r\n') + '\r\n';
}
