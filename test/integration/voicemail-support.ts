import type { Product } from '../helpers/product-harness.js';
import { toneStrength } from '../helpers/audio-check.js';
import { toneRtpPcap } from '../helpers/rtp-pcap.js';
import { runSipp, type SippResult } from '../helpers/sipp.js';
import { deviceRow, injection } from './calls-config.js';
import type { VoicemailMessage } from '../../src/store/voicemail-store.js';

export const GREETING_MS = 5238; // sounds/en/voicemail-greeting.wav
export const BEEP_MS = 500;

/**
 * A device calls `dialled` with SIPp, which, once answered, waits out the greeting and the beep
 * (with slack for a busy machine), plays a pcap of `toneMs` of 1 kHz PCMU built by the test, and
 * hangs up 0.4 s later.
 */
export function sippLeavesToneMessage(
  p: Product,
  o: { deviceUser: string; dialled: string; ip: string; mediaPort: number; toneMs?: number; answeredAfterMs?: number },
): { done: Promise<SippResult>; kill: () => void } {
  return runSipp({
    scenario: 'media/device-plays-tone-pcap-then-hangs-up.xml',
    target: p.target,
    ip: o.ip,
    port: 5060,
    calls: 1,
    timeoutSec: 60,
    injectionFile: injection([deviceRow(o.deviceUser)]),
    extra: ['-s', o.dialled, '-mp', String(o.mediaPort)],
    durationMs: o.answeredAfterMs ?? GREETING_MS + BEEP_MS + 1500,
    files: { 'tone.pcap': toneRtpPcap(1000, o.toneMs ?? 3000) },
  });
}

/** Lengths (s) of the runs of consecutive 20 ms frames dominated by `hz` (Goertzel); `closed`: only runs that have ended. */
export function toneRuns(samples: Float64Array, rate: number, hz: number, closed = false): number[] {
  const n = Math.round(rate / 50);
  const runs: number[] = [];
  let run = 0;
  for (let off = 0; off + n <= samples.length; off += n) {
    if (toneStrength(samples.subarray(off, off + n), hz, rate) > 0.8) run++;
    else if (run > 0) {
      runs.push(run / 50);
      run = 0;
    }
  }
  if (run > 0 && !closed) runs.push(run / 50);
  return runs;
}

/** Loud frames that are not the 1 kHz tone: a spoken prompt. */
export function speaks(samples: Float64Array): boolean {
  let loud = 0;
  for (let off = 0; off + 160 <= samples.length; off += 160) {
    const f = samples.subarray(off, off + 160);
    let e = 0;
    for (const x of f) e += Math.abs(x);
    if (e / 160 > 300 && toneStrength(f, 1000) < 0.5) loud++;
  }
  return loud >= 5;
}

/** The demo mailbox's messages once at least one is indexed (just after the hang-up, when the media server has closed the file); waits up to 5 s. */
export async function leftMessages(p: Product, extension: string): Promise<VoicemailMessage[]> {
  let messages = await p.ctx.voicemail.list('demo', extension);
  for (const t0 = Date.now(); messages.length === 0 && Date.now() - t0 < 5000; messages = await p.ctx.voicemail.list('demo', extension)) await new Promise((r) => setTimeout(r, 100));
  return messages;
}
