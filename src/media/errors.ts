import { catalogued, errorMessage, type CodesOf } from '../lib/errors.js';

/** Stable error codes of the embedded media server (one catalogue, like src/config/errors.ts). */
export type MediaErrorCode = CodesOf<'MediaError'>;

export class MediaError extends Error {
  constructor(
    readonly code: MediaErrorCode,
    message: string,
  ) {
    super(errorMessage(catalogued('MediaError', code), { code, problem: message }));
    this.name = 'MediaError';
  }
}
