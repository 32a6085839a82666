import { z } from 'zod';
import { int } from './primitives.js';

/**
 * Graceful drain on SIGTERM/SIGINT: new INVITEs get 503 with Retry-After while live calls are
 * given `seconds` to end; the calls still up then are hung up (BYE both legs).
 */
export const drainSchema = z.strictObject({
  seconds: int(0, 86_400).default(30),
  retryAfterSeconds: int(1, 86_400).default(60),
});

export type DrainConfig = z.infer<typeof drainSchema>;
