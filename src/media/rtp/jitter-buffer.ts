const SLOTS = 16;
const MASK = SLOTS - 1;
/** frames buffered before playout starts, so a late packet still finds its turn */
const PREFILL = 2;

/**
 * Receive-side reorder/jitter buffer of decoded 20 ms frames, indexed by sequence number. The pacer
 * pops one frame per tick; a missing frame plays as silence once later ones are waiting.
 */
export class JitterBuffer {
  private readonly frames: Int16Array[] = [];
  private readonly seqs = new Int32Array(SLOTS).fill(-1);
  private next = -1;
  private count = 0;
  private primed = false;
  /** playout has begun: an earlier sequence number is late from now on */
  private started = false;

  constructor(samples: number) {
    for (let i = 0; i < SLOTS; i++) this.frames.push(new Int16Array(samples));
  }

  /** The frame to decode sequence `seq` into, or undefined when it is too late. */
  slotFor(seq: number): Int16Array | undefined {
    if (this.next < 0) this.next = seq;
    let ahead = ((seq - this.next) << 16) >> 16;
    if (ahead < 0 && !this.started && ahead > -SLOTS && this.count - ahead <= SLOTS) {
      // reordered before playout started: begin earlier
      this.next = seq;
      ahead = 0;
    }
    if (ahead < 0) return undefined;
    if (ahead >= SLOTS) {
      // far ahead (a burst, or the sender jumped): drop what is buffered and restart at this packet
      this.reset();
      this.next = seq;
    }
    const i = seq & MASK;
    if (this.seqs[i] !== seq) {
      this.seqs[i] = seq;
      this.count++;
    }
    return this.frames[i];
  }

  /** Copies the next frame into `out`; false (out untouched) when nothing is ready. */
  pop(out: Int16Array): boolean {
    if (this.count === 0) {
      this.primed = false;
      return false;
    }
    if (!this.primed) {
      if (this.count < PREFILL) return false;
      this.primed = true;
      this.started = true;
    }
    const i = this.next & MASK;
    this.next = (this.next + 1) & 0xffff;
    if (this.seqs[i] !== ((this.next - 1) & 0xffff)) {
      out.fill(0);
      return true;
    }
    out.set(this.frames[i]!);
    this.seqs[i] = -1;
    this.count--;
    return true;
  }

  reset(): void {
    this.seqs.fill(-1);
    this.count = 0;
    this.next = -1;
    this.primed = false;
    this.started = false;
  }
}
