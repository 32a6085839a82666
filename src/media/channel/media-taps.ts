import type { Codec } from '../rtp/g711.js';

/** Produces what the channel sends, one 20 ms frame of 8 kHz samples per call. */
export interface FrameSource {
  /** fills `out`; false when the source has ended (out then holds no audio) */
  read(out: Int16Array): boolean;
  /** the whole source G.711-encoded once (shared by every channel playing it), when it has one */
  encoded?(codec: Codec): Uint8Array | undefined;
  /** where the frame of the last `read` starts in `encoded`; -1 when it was not a whole frame */
  readonly frameAt?: number;
}

/** Sees the audio of a channel: what it reads from the far end, and what it sends. */
export interface MediaTap {
  onRead?(frame: Int16Array): void;
  onWrite?(frame: Int16Array): void;
}

/** A digit delivered to the running app; return true to consume it. */
export type DigitHandler = (digit: string) => void;
