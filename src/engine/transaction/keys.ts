import type { SipMessage, Via } from '../../sip/index.js';

const MAGIC = 'z9hG4bK';

/**
 * Server transaction key (RFC 3261 §17.2.3): branch + sent-by + method, ACK and CANCEL
 * folded as the caller asks; RFC 2543 requests without the magic cookie fall back to
 * Call-ID/CSeq/From-tag/top Via.
 */
export function serverKey(msg: SipMessage, via: Via, method: string): string {
  const sentBy = `${via.host}:${via.port ?? ''}`;
  if (via.branch && via.branch.startsWith(MAGIC) && via.branch.length > MAGIC.length) {
    return flat(`${via.branch}\u0000${sentBy}\u0000${method}`);
  }
  return flat(`2543\u0000${msg.callId}\u0000${msg.cseq.seq}\u0000${msg.fromTag ?? ''}\u0000${sentBy}\u0000${method}`);
}

/**
 * A key built from slices of a message is a chain of string pieces that keeps the whole message
 * text alive for as long as the key lives (32 s for a completed transaction). Reading a character
 * makes V8 flatten it into one copy of its own.
 */
function flat(key: string): string {
  key.charCodeAt(0);
  return key;
}

/** Merged-request key (RFC 3261 §8.2.2.2) of a request outside a dialog; undefined inside one. */
export const mergeKey = (req: SipMessage): string | undefined => (req.toTag ? undefined : `${req.callId}\u0000${req.fromTag ?? ''}\u0000${req.cseq.seq}\u0000${req.method}`);
