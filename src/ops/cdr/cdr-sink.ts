import type { Cdr } from './cdr.js';

/** Where finished calls' records go (file, Redis stream, webhook, memory). `write` never blocks a call. */
export interface CdrSink {
  readonly name: string;
  write(cdr: Cdr): void;
  /** Settles when what was written so far is out (or given up on). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** A sink that can read back the latest records ("recent calls"). */
export interface CdrSource {
  readonly name: 'redis-stream' | 'file' | 'memory';
  /** The last `limit` records, newest first. */
  recent(limit: number): Promise<Cdr[]>;
}
