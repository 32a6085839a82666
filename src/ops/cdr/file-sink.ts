import type { Logger } from 'pino';
import type { CdrConfig } from '../../config/index.js';
import { JsonLinesFile } from './cdr-file.js';
import type { Cdr } from './cdr.js';
import type { CdrSink, CdrSource } from './cdr-sink.js';

/** One JSON line per call in `cdr.file`, rotated by size; each instance writes its own file. */
export class CdrFileSink implements CdrSink, CdrSource {
  readonly name = 'file';
  private readonly out: JsonLinesFile;

  constructor(file: string, cfg: Pick<CdrConfig, 'maxBytes' | 'keep'>, log: Logger) {
    this.out = new JsonLinesFile(file, cfg.maxBytes, cfg.keep, (err) => log.error({ err: String(err), file }, 'call record not written'));
  }

  write(cdr: Cdr): void {
    this.out.append(cdr);
  }

  flush(): Promise<void> {
    return this.out.flush();
  }

  close(): Promise<void> {
    return this.out.flush();
  }

  async recent(limit: number): Promise<Cdr[]> {
    return ((await this.out.last(limit)) as Cdr[]).reverse();
  }
}
