import type { Logger } from 'pino';

/**
 * Logs a run of failures once: the first failure at error, the recovery (with how many failed in
 * between) at info — so an unreachable Redis or billing URL does not write one line per call.
 */
export class FailureBurst {
  private failures = 0;

  constructor(
    private readonly log: Logger,
    private readonly what: string,
  ) {}

  failed(err: unknown, fields: Record<string, unknown> = {}): void {
    if (this.failures++ === 0) this.log.error({ ...fields, err: err instanceof Error ? err.message : String(err) }, `${this.what} failing (logged once until it recovers)`);
  }

  succeeded(): void {
    if (this.failures === 0) return;
    this.log.info({ failures: this.failures }, `${this.what} working again`);
    this.failures = 0;
  }

  get failing(): boolean {
    return this.failures > 0;
  }
}
