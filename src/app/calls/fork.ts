/*
 * Forking to an extension's devices is done with B2BUA legs, not by proxying (srf.proxyRequest):
 * - the callee must see the CALLER'S EXTENSION identity (100 for device 100_2, a hot-desk guest's
 *   number), which a proxy may not rewrite in From;
 * - every device gets its own Call-ID and dialog, so a phone registered twice (two contacts) or
 *   two shared devices never see "the same call" twice and merge it (482 Loop Detected);
 * - one code path (answer A with the winner's SDP, relay BYE/re-INVITE/INFO, clean up on every
 *   failure) serves devices, trunks and carrier inbound calls alike, and the app sees both legs
 *   for the call log, limits and later features (recording, transfer, no-answer forward).
 * The cost is one more dialog per call in the engine; SDP passes through unchanged (no media anchoring).
 */
import type Srf from 'drachtio-srf';
import type { AttemptRecord } from './call-record.js';
import type { RingingParty } from './caller-leg.js';
import { UacLeg, type LegResult, type LegTarget } from './uac-leg.js';

export interface ForkTarget {
  /** For the call log, e.g. `100_2 sip:100@192.0.2.7:5062`. */
  label: string;
  target: LegTarget;
}

export type CallOutcome = { kind: 'answered'; uas: Srf.Dialog; uac: Srf.Dialog } | { kind: 'failed'; status: number; reason?: string; noAnswer?: true; headers?: Record<string, string> };

export interface RingOptions {
  /** Every leg still ringing after this long is cancelled and the call fails 480 (no answer). */
  ringTimeoutMs: number;
}

/**
 * Parallel fork: every target gets its own INVITE (its own Call-ID) at once. The first 2xx wins
 * and the other legs are cancelled (a 2xx racing the winner is hung up). The caller hears ringing
 * as soon as the first leg rings. Every leg rings for the ring timeout (its own timer): when
 * nobody answered by then, every leg is cancelled and the call fails 480. Failure status
 * otherwise: see `forkFailureStatus`.
 */
export function ringAll(srf: Srf, caller: RingingParty, targets: readonly ForkTarget[], attempts: AttemptRecord[], opts: RingOptions): Promise<CallOutcome> {
  if (targets.length === 0) return Promise.resolve({ kind: 'failed', status: 480 });
  return new Promise<CallOutcome>((resolve) => {
    let winner: UacLeg | undefined;
    let pending = targets.length;
    let noAnswer = false;
    const failures: number[] = [];
    const legs = targets.map((t) => new UacLeg(srf, t.target, { onProvisional: () => caller.progress(180, 'Ringing', undefined) }, { ringTimeoutMs: opts.ringTimeoutMs }));
    const abandonOthers = (keep?: UacLeg): void => {
      for (const l of legs) if (l !== keep) l.abandon();
    };
    caller.onCancel(() => abandonOthers());

    const settle = (target: string, leg: UacLeg, r: LegResult): void => {
      pending--;
      if (r.kind === 'answered') {
        attempts.push({ target, outcome: 200 });
        if (winner !== undefined || caller.gone) {
          r.dialog.destroy();
        } else {
          winner = leg;
          abandonOthers(leg);
          void connect(caller, r.dialog).then(resolve);
          return;
        }
      } else if (r.timer === 'no-answer') {
        noAnswer = true;
        attempts.push({ target, outcome: 'no-answer' });
      } else {
        attempts.push({ target, outcome: r.abandoned ? 'cancelled' : r.local ? 'transport-error' : r.status });
        if (!r.abandoned) failures.push(r.status);
      }
      if (pending > 0 || winner !== undefined) return;
      if (caller.gone) resolve({ kind: 'failed', status: 487 });
      // the ring time is over: every leg still ringing was cancelled
      else if (noAnswer) resolve({ kind: 'failed', status: 480, noAnswer: true });
      else resolve({ kind: 'failed', status: forkFailureStatus(failures) });
    };
    legs.forEach((leg, i) => void leg.result.then((r) => settle(targets[i]!.label, leg, r)));
  });
}

/** Answers the caller with the winner's SDP; hangs the winner up when the caller is gone by then. */
export async function connect(caller: RingingParty, uac: Srf.Dialog): Promise<CallOutcome> {
  try {
    const uas = await caller.answer(uac.remote.sdp);
    return { kind: 'answered', uas, uac };
  } catch {
    uac.destroy();
    return { kind: 'failed', status: 487 };
  }
}

/**
 * What the caller hears when nobody answered: a 6xx (global refusal) wins; else busy when any
 * device is busy (DOMAIN: "486 when all are busy" — one busy phone among unreachable ones is still
 * a busy extension); else 480 (devices unreachable, timed out or failing).
 */
export function forkFailureStatus(statuses: readonly number[]): number {
  const global = statuses.find((s) => s >= 600);
  if (global !== undefined) return global;
  if (statuses.includes(486)) return 486;
  return 480;
}
