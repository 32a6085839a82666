import type { MediaGauges } from '../../media/media-server.js';
import type { PacerSnapshot } from '../../media/rtp/pacer.js';
import type { LoopSnapshot } from './loop-stats.js';
import type { LogFormat } from '../logger.js';
import type { RealtimeOutcome } from '../../lib/realtime-scheduling.js';
import type { NiceOutcome } from './thread-priority.js';

/** Plain data only: it crosses into the media thread. */
export interface EmbeddedMediaOptions {
  host: string;
  sipPort: number;
  rtpRangeStart: number;
  rtpRangeEnd: number;
  soundsDir: string;
  recordingsDir: string;
  /** the event socket password, random per start (only this process connects) */
  password: string;
  logLevel: string;
  logFormat: LogFormat;
  /** count the bytes the thread allocates (benchmarks: it makes every GC pause longer) */
  countAllocation?: boolean;
  /** nice value the thread asks for (media.embedded.priority); 0 or absent leaves it */
  priority?: number;
  /** SCHED_RR priority the thread asks for (media.embedded.realtimePriority); 0 or absent stays in the normal class */
  realtimePriority?: number;
}

/** The thread's scheduling once it tried `priority` and `realtimePriority`: its nice value, its real-time class, and why either was refused. */
export interface MediaThreadPriority extends NiceOutcome {
  realtime: RealtimeOutcome;
}

/** How a media thread kept time: its pacer's histograms and what held its loop up. */
export interface MediaThreadTiming {
  pacer: PacerSnapshot;
  loop: LoopSnapshot;
}

export type ToMediaThread =
  | { kind: 'stop' }
  /** the thread's pacer and event-loop statistics (answered in order), optionally reset after the snapshot */
  | { kind: 'timing'; reset: boolean };

export type FromMediaThread =
  | { kind: 'ready'; esl: { address: string; port: number }; sip: { address: string; port: number }; priority: MediaThreadPriority }
  | { kind: 'failed'; message: string }
  /** sent every second while running, so gauges are read without a round trip */
  | { kind: 'gauges'; gauges: MediaGauges }
  | { kind: 'timing'; stats: MediaThreadTiming }
  | { kind: 'stopped' };
