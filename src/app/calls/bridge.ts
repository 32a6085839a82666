import type Srf from 'drachtio-srf';

/** srf's Dialog.request typing wants a whole SrfRequest; we only pass method, headers and body. */
type InDialogRequest = (opts: { method: string; headers?: Record<string, string>; body?: string }) => Promise<{ status: number; body?: string }>;

/**
 * Joins two answered dialogs: a BYE on either side ends the other; re-INVITEs (hold/resume) and
 * INFO (DTMF) are relayed and their answers returned, unless `relayInDialog` is false (a call
 * anchored on a media server: each side's SDP belongs to its media endpoint, not to the other
 * party). `onEnd` runs once, when the first side ends, with that side (`a` or `b`), or `local`
 * when the returned function hung both up (BYE to each).
 */
export function bridge(a: Srf.Dialog, b: Srf.Dialog, onEnd: (endedBy: 'a' | 'b' | 'local') => void, relayInDialog = true): () => void {
  let ended = false;
  const end = (other: Srf.Dialog): void => {
    if (ended) return;
    ended = true;
    other.destroy();
    onEnd(other === b ? 'a' : 'b');
  };
  const hangUp = (): void => {
    if (ended) return;
    ended = true;
    a.destroy();
    b.destroy();
    onEnd('local');
  };
  a.on('destroy', () => end(b));
  b.on('destroy', () => end(a));
  // A BYE can reach srf before the promise that handed us the dialogs resolved: its 'destroy'
  // then fired with nobody listening, and the other leg would stay up forever.
  if (!isConnected(a)) end(b);
  else if (!isConnected(b)) end(a);
  if (relayInDialog) {
    relay(a, b);
    relay(b, a);
  }
  return hangUp;
}

/** srf keeps `connected` on its Dialog objects; its type declarations omit it. */
function isConnected(d: Srf.Dialog): boolean {
  return (d as unknown as { connected?: boolean }).connected !== false;
}

function relay(from: Srf.Dialog, to: Srf.Dialog): void {
  from.on('modify', (req: Srf.SrfRequest, res: Srf.SrfResponse) => {
    to.modify(req.body).then(
      (sdp) => res.send(200, { body: sdp, headers: { 'Content-Type': 'application/sdp' } }),
      (err: unknown) => res.send(statusOf(err)),
    );
  });
  from.on('info', (req: Srf.SrfRequest, res: Srf.SrfResponse) => {
    const send = to.request.bind(to) as unknown as InDialogRequest;
    const contentType = req.get('Content-Type');
    send({ method: 'INFO', ...(contentType && { headers: { 'Content-Type': contentType } }), ...(req.body && { body: req.body }) }).then(
      (answer) => res.send(answer.status),
      (err: unknown) => res.send(statusOf(err)),
    );
  });
}

function statusOf(err: unknown): number {
  const s = typeof err === 'object' && err !== null ? (err as { status?: unknown }).status : undefined;
  return typeof s === 'number' && s >= 400 ? s : 500;
}
