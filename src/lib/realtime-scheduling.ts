import { execFile } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';

/** The calling thread's scheduling class after asking for real-time: what the kernel reports, and why it was refused. */
export interface RealtimeOutcome {
  /** SCHED_RR priority the thread runs at; absent when it runs in the normal (SCHED_OTHER) class */
  rr?: number;
  refused?: string;
}

const SCHED_RR = 2;

/**
 * The calling thread's task id, from /proc/thread-self (a link to <pid>/task/<tid>). Synchronous on
 * purpose: the asynchronous fs calls run on libuv's pool, where thread-self names a pool thread.
 */
function ownTid(): string {
  const link = readlinkSync('/proc/thread-self');
  const tid = link.slice(link.lastIndexOf('/') + 1);
  if (!/^\d+$/.test(tid)) throw new Error(`unexpected /proc/thread-self link ${link}`);
  return tid;
}

/** The calling thread's policy and rt_priority, read from its stat line (fields 41 and 40; synchronous, as above). */
function ownScheduling(): { policy: number; rtPriority: number } {
  const stat = readFileSync('/proc/thread-self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { policy: Number(fields[38]), rtPriority: Number(fields[37]) };
}

function chrt(priority: number, tid: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('chrt', ['--rr', '--pid', String(priority), tid], { timeout: 5000 }, (err, _out, stderr) => {
      if (!err) return resolve();
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return reject(new Error('chrt is not installed (util-linux)'));
      const said = stderr
        .trim()
        .split('\n')
        .pop()
        ?.replace(/^chrt:\s*/, '');
      reject(new Error(said || err.message));
    });
  });
}

/**
 * Moves the calling thread into SCHED_RR at `priority` (1 … 99), as FreeSWITCH's packaged service
 * runs its media threads: under the normal scheduler a woken thread can wait milliseconds for a core
 * held by SIPp, the app or the engine (measured: over a second per four of runnable-but-waiting on a
 * busy two-core machine, even at nice −10), which is what breaks 20 ms pacing; a real-time thread
 * preempts them at once. Only this thread moves (the app, SIP, GC helpers and the file-writing pool
 * stay normal), and the kernel's real-time throttling keeps a runaway thread from taking a core whole.
 * Linux only; it needs CAP_SYS_NICE or an RLIMIT_RTPRIO that allows the priority. The change goes
 * through util-linux's `chrt` (Node has no sched_setscheduler) and is checked in /proc afterwards.
 */
export async function applyRealtimeScheduling(priority: number | undefined): Promise<RealtimeOutcome> {
  if (priority === undefined || priority === 0) return {};
  if (process.platform !== 'linux') return { refused: `real-time scheduling is set up on Linux only (this is ${process.platform})` };
  try {
    const tid = ownTid();
    await chrt(priority, tid);
    const now = ownScheduling();
    if (now.policy !== SCHED_RR) return { refused: `chrt reported success but the thread's policy is ${now.policy}` };
    return { rr: now.rtPriority };
  } catch (err) {
    return { refused: err instanceof Error ? err.message : String(err) };
  }
}
