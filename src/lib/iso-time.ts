/** An epoch-milliseconds time as ISO 8601, or undefined when there is none (not answered, not ended). */
export function isoTime(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : new Date(ms).toISOString();
}
