/** Stable error codes of the embedded media server (one catalogue, like src/config/errors.ts). */
export type MediaErrorCode =
  | 'MEDIA_BAD_FLAG'
  | 'MEDIA_BIND_FAILED'
  | 'MEDIA_NO_RTP_PORT'
  | 'MEDIA_BAD_SDP'
  | 'MEDIA_NO_COMMON_CODEC'
  | 'MEDIA_BAD_WAV'
  | 'MEDIA_FILE_NOT_FOUND'
  | 'MEDIA_ESL_FRAME'
  | 'MEDIA_BAD_TRANSITION';

export class MediaError extends Error {
  constructor(
    readonly code: MediaErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'MediaError';
  }
}
