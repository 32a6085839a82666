import type { EngineStats } from '../../engine/core/gauges.js';
import type { LocalPoint } from '../../engine/core/local-point.js';

/** Main thread → engine thread. */
export type ToEngineThread = { kind: 'stats'; id: number } | { kind: 'stop'; id: number };

/** Engine thread → main thread. */
export type FromEngineThread =
  { kind: 'ready'; wirePort: number; listenPoints: LocalPoint[] } | { kind: 'failed'; message: string } | { kind: 'stats'; id: number; stats: EngineStats } | { kind: 'stopped'; id: number };
