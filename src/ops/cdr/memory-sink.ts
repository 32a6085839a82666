import type { Cdr } from './cdr.js';
import type { CdrSink, CdrSource } from './cdr-sink.js';

/** The last `size` records of this instance, in memory: "recent calls" without Redis or a file. */
export class CdrMemorySink implements CdrSink, CdrSource {
  readonly name = 'memory';
  private readonly ring: Cdr[] = [];

  constructor(private readonly size: number) {}

  write(cdr: Cdr): void {
    if (this.size === 0) return;
    this.ring.push(cdr);
    if (this.ring.length > this.size) this.ring.shift();
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {}

  async recent(limit: number): Promise<Cdr[]> {
    return this.ring.slice(-limit).reverse();
  }
}
