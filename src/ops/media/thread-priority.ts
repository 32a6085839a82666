import { getPriority, setPriority } from 'node:os';

/** The calling thread's nice value after asking, and why a raise was refused. */
export interface NiceOutcome {
  nice: number;
  refused?: string;
}

/**
 * Asks for nice value `wanted` for the calling thread only: on Linux setpriority(2) with pid 0
 * changes the calling thread, so the media threads move and SIP, the app and the engine do not.
 * A refusal (no CAP_SYS_NICE) leaves the thread as it was and says why.
 */
export function applyThreadPriority(wanted: number | undefined): NiceOutcome {
  if (wanted === undefined || wanted === 0) return { nice: getPriority() };
  try {
    setPriority(wanted);
    return { nice: getPriority() };
  } catch (err) {
    // os.setPriority throws a SystemError (ERR_SYSTEM_ERROR) whose errno name is in `info`
    const e = err as NodeJS.ErrnoException & { info?: { code?: string } };
    const code = e.info?.code ?? e.code ?? (err instanceof Error ? err.message : String(err));
    return { nice: getPriority(), refused: code };
  }
}
