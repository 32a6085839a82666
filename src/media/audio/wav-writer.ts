import { open, type FileHandle } from 'node:fs/promises';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { endianness } from 'node:os';

const LITTLE_ENDIAN = endianness() === 'LE';

// 2 s at 20 ms: each batch costs two file writes (data, header), each a thread-pool round trip
const FLUSH_FRAMES = 100;

function header(channels: number, dataBytes: number): Buffer {
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + dataBytes, 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(8000, 24);
  h.writeUInt32LE(8000 * 2 * channels, 28);
  h.writeUInt16LE(2 * channels, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(dataBytes, 40);
  return h;
}

/**
 * An 8 kHz PCM16 WAV streamed to disk: frames are batched (2 s) and written asynchronously, and the
 * header's sizes are rewritten after every batch, so the file is valid up to the last batch even if
 * the process dies mid-call.
 */
export class WavWriter {
  private chunk: Buffer;
  /** the chunk as samples (WAV is little-endian, like the hosts this runs on) */
  private samplesView: Int16Array;
  /** write position in bytes */
  private fill = 0;
  private written = 0;
  private chain: Promise<void> = Promise.resolve();
  private spare: Buffer | undefined;
  private spareBusy = false;
  private closed = false;
  /** samples per channel handed to write() */
  samples = 0;

  private constructor(
    private readonly fh: FileHandle,
    readonly channels: number,
  ) {
    this.chunk = Buffer.alloc(FLUSH_FRAMES * 160 * 2 * channels);
    this.samplesView = new Int16Array(this.chunk.buffer, this.chunk.byteOffset, this.chunk.length / 2);
  }

  static async open(path: string, channels: 1 | 2, append = false): Promise<WavWriter> {
    await mkdir(dirname(path), { recursive: true });
    const fh = await open(path, append ? 'a+' : 'w');
    const w = new WavWriter(fh, channels);
    if (append) {
      const st = await fh.stat();
      w.written = Math.max(0, st.size - 44);
    }
    if (!append || w.written === 0) await fh.write(header(channels, 0), 0, 44, 0);
    return w;
  }

  /** Mono frame, or one channel of a stereo frame written with `writeStereo`. */
  writeMono(frame: Int16Array): void {
    if (LITTLE_ENDIAN) this.samplesView.set(frame, this.fill >> 1);
    else for (let i = 0; i < frame.length; i++) this.chunk.writeInt16LE(frame[i]!, this.fill + i * 2);
    this.fill += frame.length * 2;
    this.samples += frame.length;
    this.maybeFlush();
  }

  writeStereo(left: Int16Array, right: Int16Array): void {
    const v = this.samplesView;
    let k = this.fill >> 1;
    for (let i = 0; i < left.length; i++, k += 2) {
      if (LITTLE_ENDIAN) {
        v[k] = left[i]!;
        v[k + 1] = right[i]!;
      } else {
        this.chunk.writeInt16LE(left[i]!, k * 2);
        this.chunk.writeInt16LE(right[i]!, k * 2 + 2);
      }
    }
    this.fill = k * 2;
    this.samples += left.length;
    this.maybeFlush();
  }

  private maybeFlush(): void {
    if (this.fill + 160 * 2 * this.channels > this.chunk.length) this.flush();
  }

  private flush(): void {
    if (this.fill === 0) return;
    const data = this.chunk;
    const len = this.fill;
    // swap to the spare chunk (allocate a third only if the spare is still being written)
    const spare = this.spare && !this.spareBusy ? this.spare : Buffer.alloc(data.length);
    this.spare = data;
    this.spareBusy = true;
    this.chunk = spare;
    this.samplesView = new Int16Array(spare.buffer, spare.byteOffset, spare.length / 2);
    this.fill = 0;
    this.chain = this.chain
      .then(async () => {
        await this.fh.write(data, 0, len, 44 + this.written);
        this.written += len;
        const h = header(this.channels, this.written);
        await this.fh.write(h, 0, 44, 0);
      })
      .catch(() => undefined)
      .finally(() => {
        if (this.spare === data) this.spareBusy = false;
      });
  }

  async close(): Promise<void> {
    if (this.closed) return this.chain;
    this.closed = true;
    this.flush();
    await this.chain;
    await this.fh.close().catch(() => undefined);
  }
}
