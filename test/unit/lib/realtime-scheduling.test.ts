import { Worker } from 'node:worker_threads';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyRealtimeScheduling, type RealtimeOutcome } from '../../../src/lib/realtime-scheduling.js';
import { workerEntry } from '../../../src/ops/worker-entry.js';

/** policy (0 normal, 2 SCHED_RR) and rt_priority of each thread of this process, read from /proc, not from the code under test */
function scheduling(): Map<string, { policy: number; rt: number }> {
  const out = new Map<string, { policy: number; rt: number }>();
  for (const tid of readdirSync('/proc/self/task')) {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out.set(tid, { policy: Number(f[38]), rt: Number(f[37]) });
  }
  return out;
}

async function inWorker(priority: number): Promise<{ outcome: RealtimeOutcome; tid: string; seen: Map<string, { policy: number; rt: number }> }> {
  const entry = workerEntry(new URL('./fixtures/realtime-worker.ts', import.meta.url), 'realtime test worker');
  const worker = new Worker(entry.code, { eval: entry.evalCode, workerData: priority });
  try {
    const m = await new Promise<{ outcome: RealtimeOutcome; tid: string }>((ok, fail) => {
      worker.once('message', ok);
      worker.once('error', fail);
    });
    return { ...m, seen: scheduling() };
  } finally {
    worker.postMessage('go');
    await worker.terminate();
  }
}

const root = process.getuid?.() === 0;

describe('media threads: real-time scheduling (media.embedded.realtimePriority)', () => {
  it.runIf(root)('moves the calling thread only into SCHED_RR at the priority asked; every other thread stays in the normal class', async () => {
    const { outcome, tid, seen } = await inWorker(7);
    expect(outcome).toEqual({ rr: 7 });
    expect(seen.get(tid)).toEqual({ policy: 2, rt: 7 });
    expect(seen.get(String(process.pid))).toEqual({ policy: 0, rt: 0 });
    expect([...seen].filter(([t, s]) => t !== tid && s.policy !== 0)).toEqual([]);
  });

  it.runIf(!root)('without CAP_SYS_NICE the request is refused with the reason, and the thread stays in the normal class', async () => {
    const { outcome, tid, seen } = await inWorker(7);
    expect(outcome.rr).toBeUndefined();
    expect(outcome.refused).toMatch(/not permitted/i);
    expect(seen.get(tid)?.policy).toBe(0);
  });

  it('0 or absent leaves the thread alone; a priority chrt rejects is reported, not thrown', async () => {
    expect(await applyRealtimeScheduling(0)).toEqual({});
    expect(await applyRealtimeScheduling(undefined)).toEqual({});
    const bad = await applyRealtimeScheduling(150);
    expect(bad.rr).toBeUndefined();
    expect(bad.refused).toMatch(/priority|invalid|argument/i);
    expect(scheduling().get(String(process.pid))?.policy).toBe(0);
  });
});
