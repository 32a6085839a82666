/**
 * Replaces `process.env` by a plain object holding the same variables.
 *
 * drachtio-srf reads `process.env.DRACHTIO_PRESERVE_HEADER_NAMES` for every header of every
 * message it parses, and every read of the real `process.env` is a call into Node's native
 * environment store: 8% of the main thread's CPU at 2,000 REGISTERs/s (V8 profile). A plain
 * object answers that read like any property.
 *
 * Child processes still inherit the variables (child_process passes `process.env` itself). What
 * changes: a variable set later is seen by this process's JavaScript and its children, not by
 * native code calling getenv, and values are no longer coerced to strings. The product sets no
 * variable after start-up, so only its process entry (`main.ts`) calls this; tests do not.
 */
export function snapshotEnvironment(): void {
  process.env = { ...process.env };
}
