import type { Logger } from 'pino';

const QUIET_MS = 60_000;
const MAX_PEERS = 10_000;

/** One log line per misbehaving peer per minute, not one per packet. */
export class RejectedPeerLog {
  private readonly last = new Map<string, { at: number; suppressed: number }>();

  constructor(private readonly log: Logger) {}

  note(address: string, transport: string, reason: string): void {
    const now = Date.now();
    const entry = this.last.get(address);
    if (entry && now - entry.at < QUIET_MS) {
      entry.suppressed++;
      return;
    }
    if (this.last.size >= MAX_PEERS) this.last.clear();
    this.last.set(address, { at: now, suppressed: 0 });
    this.log.warn({ peer: address, transport, reason, suppressedSinceLast: entry?.suppressed ?? 0 }, 'rejected malformed SIP input');
  }
}
