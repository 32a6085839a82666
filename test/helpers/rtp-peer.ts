import { createSocket, type Socket } from 'node:dgram';

// The far end of a call in media tests: its own minimal RTP and G.711 code, written independently of
// src/media (formula-based µ-law/A-law, no tables), so a mistake made on both sides cannot pass.

export interface Received {
  at: number;
  pt: number;
  seq: number;
  ts: number;
  marker: boolean;
  payload: Buffer;
}

export function ulawToLinear(u: number): number {
  const x = ~u & 0xff;
  const sign = x & 0x80 ? -1 : 1;
  const exponent = (x >> 4) & 0x07;
  const mantissa = x & 0x0f;
  return sign * (((mantissa * 2 + 33) * Math.pow(2, exponent) - 33) * 4);
}

export function linearToUlaw(sample: number): number {
  const sign = sample < 0 ? 0x80 : 0x00;
  const mag = Math.min(8158, Math.floor(Math.abs(sample) / 4)) + 33;
  let exponent = 0;
  while (exponent < 7 && mag >= 64 << exponent) exponent++;
  const mantissa = (mag >> (exponent + 1)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

export function alawToLinear(a: number): number {
  const x = a ^ 0x55;
  const sign = x & 0x80 ? 1 : -1;
  const exponent = (x >> 4) & 0x07;
  const mantissa = x & 0x0f;
  const mag = exponent === 0 ? mantissa * 16 + 8 : (mantissa * 16 + 264) * Math.pow(2, exponent - 1);
  return sign * mag;
}

export function linearToAlaw(sample: number): number {
  const positive = sample >= 0;
  let mag = Math.min(4095, Math.floor((positive ? sample : -sample - 1) / 8));
  let exponent = 0;
  if (mag >= 32) {
    exponent = 1;
    while (exponent < 7 && mag >= 32 << exponent) exponent++;
  }
  const mantissa = exponent === 0 ? mag >> 1 : (mag >> exponent) & 0x0f;
  mag = (exponent << 4) | mantissa;
  return (mag | (positive ? 0x80 : 0)) ^ 0x55;
}

const DIGITS = '0123456789*#ABCD';

export class RtpPeer {
  readonly received: Received[] = [];
  private seq = 1000;
  private ts = 5000;
  private readonly ssrc = 0x1234abcd;
  private timer: NodeJS.Timeout | undefined;
  target: { address: string; port: number } | undefined;
  /** answer to wherever the first packet came from (symmetric RTP), when no target is set */
  latch = false;

  private constructor(
    readonly socket: Socket,
    readonly ip: string,
    readonly port: number,
  ) {
    socket.on('message', (m, rinfo) => {
      if (m.length < 12) return;
      this.received.push({ at: performance.now(), pt: m[1]! & 0x7f, marker: (m[1]! & 0x80) !== 0, seq: m.readUInt16BE(2), ts: m.readUInt32BE(4), payload: Buffer.from(m.subarray(12)) });
      // otherwise the test sets the target from the endpoint's SDP
      if (!this.target && this.latch) this.target = { address: rinfo.address, port: rinfo.port };
    });
  }

  static async bind(ip: string, port: number): Promise<RtpPeer> {
    const s = createSocket('udp4');
    await new Promise<void>((r) => s.bind(port, ip, () => r()));
    return new RtpPeer(s, ip, port);
  }

  private packet(pt: number, marker: boolean, ts: number, payload: Buffer): Buffer {
    const h = Buffer.alloc(12);
    h[0] = 0x80;
    h[1] = pt | (marker ? 0x80 : 0);
    h.writeUInt16BE(this.seq++ & 0xffff, 2);
    h.writeUInt32BE(ts >>> 0, 4);
    h.writeUInt32BE(this.ssrc, 8);
    return Buffer.concat([h, payload]);
  }

  sendRaw(b: Buffer): void {
    if (this.target) this.socket.send(b, this.target.port, this.target.address);
  }

  /** Sends a sine of `freq` Hz for `ms`, one 20 ms packet at a time; pt 0 (PCMU) or 8 (PCMA). */
  sendTone(freq: number, ms: number, pt = 0): Promise<void> {
    let n = 0;
    let phase = 0;
    const frames = Math.round(ms / 20);
    return new Promise((resolve) => {
      const step = (): void => {
        if (n++ >= frames) return resolve();
        const p = Buffer.alloc(160);
        for (let i = 0; i < 160; i++) {
          const s = Math.round(8000 * Math.sin(phase));
          phase += (2 * Math.PI * freq) / 8000;
          p[i] = pt === 8 ? linearToAlaw(s) : linearToUlaw(s);
        }
        this.sendRaw(this.packet(pt, n === 1, this.ts, p));
        this.ts += 160;
        this.timer = setTimeout(step, 20);
      };
      step();
    });
  }

  /**
   * Sends `ms` of a tone with network trouble: every 5th pair of packets swapped, and send times
   * jittered by up to ±`jitterMs` (bursts), so the receiver's jitter buffer has work to do.
   */
  async sendJitteredTone(freq: number, ms: number, jitterMs: number): Promise<void> {
    const frames = Math.round(ms / 20);
    const packets: Buffer[] = [];
    let phase = 0;
    for (let n = 0; n < frames; n++) {
      const p = Buffer.alloc(160);
      for (let i = 0; i < 160; i++) {
        p[i] = linearToUlaw(Math.round(8000 * Math.sin(phase)));
        phase += (2 * Math.PI * freq) / 8000;
      }
      packets.push(this.packet(0, n === 0, this.ts, p));
      this.ts += 160;
    }
    for (let n = 0; n + 1 < packets.length; n += 10) [packets[n], packets[n + 1]] = [packets[n + 1]!, packets[n]!];
    const start = performance.now();
    for (let n = 0; n < packets.length; n++) {
      const due = start + n * 20 + (Math.random() * 2 - 1) * jitterMs;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      this.sendRaw(packets[n]!);
    }
  }

  /** RFC 4733: each digit as 5 packets of growing duration then 3 end packets, 100 ms apart. */
  async sendDigits(digits: string, pt = 101): Promise<void> {
    for (const d of digits) {
      const ev = DIGITS.indexOf(d);
      const start = this.ts;
      for (let i = 1; i <= 8; i++) {
        const end = i > 5;
        const p = Buffer.alloc(4);
        p[0] = ev;
        p[1] = (end ? 0x80 : 0) | 10;
        p.writeUInt16BE(Math.min(i, 5) * 160, 2);
        this.sendRaw(this.packet(pt, i === 1, start, p));
        await new Promise((r) => setTimeout(r, 20));
      }
      this.ts += 8 * 160;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Received audio packets of payload type `pt` decoded to linear samples. */
  audio(pt = 0, from = 0): { samples: Float64Array; packets: Received[] } {
    const packets = this.received.filter((r) => r.pt === pt && r.at >= from);
    const samples = new Float64Array(packets.length * 160);
    packets.forEach((r, k) => {
      for (let i = 0; i < r.payload.length && i < 160; i++) samples[k * 160 + i] = pt === 8 ? alawToLinear(r.payload[i]!) : ulawToLinear(r.payload[i]!);
    });
    return { samples, packets };
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.socket.close();
  }
}
