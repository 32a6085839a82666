import { Worker } from 'node:worker_threads';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyThreadPriority } from '../../../src/ops/media/thread-priority.js';

const nices = (): number[] =>
  readdirSync('/proc/self/task').map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });

describe('media thread priority', () => {
  it('changes the calling thread only: a worker asking for nice 7 gets it, the rest of the process keeps its own', async () => {
    const before = nices().filter((n) => n === 7).length;
    // the worker runs the same setpriority(2) call the media worker makes (pid 0: the calling thread)
    const worker = new Worker(`const os = require('node:os'); os.setPriority(7); require('node:worker_threads').parentPort.postMessage(os.getPriority()); setTimeout(() => {}, 2000);`, { eval: true });
    const reported = await new Promise<number>((ok) => worker.once('message', ok));
    const after = nices();
    await worker.terminate();
    expect(reported).toBe(7);
    expect(after.filter((n) => n === 7).length).toBe(before + 1);
    expect(Number(readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ')[16])).not.toBe(7);
  });

  it('0 or absent leaves the thread as it is; a refused value is reported with its code, the thread unchanged', () => {
    const mine = applyThreadPriority(undefined).nice;
    expect(applyThreadPriority(0)).toEqual({ nice: mine });
    expect(applyThreadPriority(-25)).toEqual({ nice: mine, refused: 'ERR_OUT_OF_RANGE' });
  });
});
