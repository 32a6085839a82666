/**
 * What tells a running app to stop (uuid_break, hang-up): the part of AbortSignal the apps use,
 * without Node's EventTarget behind it. An AbortController per app (a playback every few seconds
 * on every channel) kept its EventTarget state, maps and listener records alive across minor GCs:
 * about a tenth of what the media threads' heap sample showed surviving, at 300 channels.
 */
export class BreakSignal {
  /** a removed listener leaves a hole, so one removed while `abort` runs is skipped, as EventTarget does */
  private listeners: Array<(() => void) | undefined> | undefined;
  aborted = false;

  addEventListener(_type: 'abort', listener: () => void): void {
    if (this.aborted) return;
    (this.listeners ??= []).push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const l = this.listeners;
    if (!l) return;
    const i = l.indexOf(listener);
    if (i >= 0) l[i] = undefined;
  }

  /** Calls each listener still added once, in the order added; later aborts do nothing. */
  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    const l = this.listeners;
    if (l) for (let i = 0; i < l.length; i++) l[i]?.();
    this.listeners = undefined;
  }
}
