import type { Socket, RemoteInfo } from 'node:dgram';
import { randomInt } from 'node:crypto';
import { decodeInto, encodeInto, PAYLOAD_TYPE, type Codec } from './g711.js';
import { parseRtp, writeRtpHeader, type RtpHeader } from './packet.js';
import { JitterBuffer } from './jitter-buffer.js';
import { DtmfReceiver, writeDtmfPayload, type ReceivedDigit } from './dtmf.js';

export const SAMPLES = 160;

export interface RtpCounters {
  inPackets: number;
  inBytes: number;
  inMediaPackets: number;
  inDtmfPackets: number;
  inDropped: number;
  outPackets: number;
  outBytes: number;
  outDtmfPackets: number;
}

export interface RtpParams {
  codec: Codec;
  /** telephone-event payload type, or undefined when not negotiated */
  dtmfPt: number | undefined;
  remoteAddress: string;
  remotePort: number;
}

/**
 * One RTP stream (RFC 3550) on a bound UDP socket: G.711 at 8 kHz, 20 ms frames, RFC 4733 events,
 * symmetric RTP (sends to where the far end's packets come from once it has sent one).
 * Send buffers are preallocated and used alternately so a buffer is never rewritten while queued.
 */
export class RtpSession {
  private params: RtpParams;
  private readonly bufs = [Buffer.alloc(12 + SAMPLES), Buffer.alloc(12 + SAMPLES)];
  private which = 0;
  /** per buffer, a view of the audio and of the telephone-event packet length (sends pass no offset/length) */
  private readonly audioViews = this.bufs.map((b) => b.subarray(0, 12 + SAMPLES));
  private readonly dtmfViews = this.bufs.map((b) => b.subarray(0, 16));
  private seq = randomInt(0, 0xffff);
  private ts = randomInt(0, 0x7fffffff);
  private readonly ssrc = randomInt(1, 0x7fffffff);
  private readonly hdr: RtpHeader = { marker: false, pt: 0, seq: 0, ts: 0, ssrc: 0, payloadOffset: 0, payloadLength: 0 };
  private readonly jitter = new JitterBuffer(SAMPLES);
  private readonly dtmfIn = new DtmfReceiver();
  private latched = false;
  private marker = true;
  readonly counters: RtpCounters = { inPackets: 0, inBytes: 0, inMediaPackets: 0, inDtmfPackets: 0, inDropped: 0, outPackets: 0, outBytes: 0, outDtmfPackets: 0 };
  onDigit: ((d: ReceivedDigit) => void) | undefined;

  constructor(
    private readonly socket: Socket,
    readonly localPort: number,
    params: RtpParams,
  ) {
    this.params = { ...params };
    socket.on('message', (msg, rinfo) => this.receive(msg, rinfo));
    socket.on('error', () => undefined);
  }

  get codec(): Codec {
    return this.params.codec;
  }

  get remote(): { address: string; port: number } {
    return { address: this.params.remoteAddress, port: this.params.remotePort };
  }

  /** A re-INVITE changed the far end. */
  update(params: RtpParams): void {
    this.params = { ...params };
    this.latched = false;
  }

  /** The next received frame (decoded), false when none is due. */
  readFrame(out: Int16Array): boolean {
    return this.jitter.pop(out);
  }

  sendAudio(pcm: Int16Array): void {
    const b = this.nextBuffer();
    writeRtpHeader(b, PAYLOAD_TYPE[this.params.codec], this.marker, this.seq, this.ts, this.ssrc);
    this.marker = false;
    encodeInto(this.params.codec, pcm, b, 12);
    this.send(this.audioViews[this.which]!);
    this.seq = (this.seq + 1) & 0xffff;
    this.ts = (this.ts + SAMPLES) >>> 0;
  }

  /** An audio frame already encoded in this session's codec: `SAMPLES` bytes of `src` from `offset`. */
  sendEncoded(src: Uint8Array, offset: number): void {
    const b = this.nextBuffer();
    writeRtpHeader(b, PAYLOAD_TYPE[this.params.codec], this.marker, this.seq, this.ts, this.ssrc);
    this.marker = false;
    for (let i = 0; i < SAMPLES; i++) b[12 + i] = src[offset + i]!;
    this.send(this.audioViews[this.which]!);
    this.seq = (this.seq + 1) & 0xffff;
    this.ts = (this.ts + SAMPLES) >>> 0;
  }

  /** One telephone-event packet; `eventTs` is the timestamp of the event's first packet. */
  sendDtmf(event: number, end: boolean, duration: number, first: boolean, eventTs: number): void {
    if (this.params.dtmfPt === undefined) return;
    const b = this.nextBuffer();
    writeRtpHeader(b, this.params.dtmfPt, first, this.seq, eventTs, this.ssrc);
    writeDtmfPayload(b, 12, event, end, 10, duration);
    this.send(this.dtmfViews[this.which]!);
    this.counters.outDtmfPackets++;
    this.seq = (this.seq + 1) & 0xffff;
  }

  /** Timestamp for the next frame (an event starting now uses it). */
  get timestamp(): number {
    return this.ts;
  }

  /** Advances the media clock by one frame without sending (during events and pauses). */
  skipFrame(): void {
    this.ts = (this.ts + SAMPLES) >>> 0;
  }

  get canSendDtmf(): boolean {
    return this.params.dtmfPt !== undefined;
  }

  private nextBuffer(): Buffer {
    this.which ^= 1;
    return this.bufs[this.which]!;
  }

  private send(view: Buffer): void {
    if (this.params.remotePort === 0 || this.params.remoteAddress === '0.0.0.0') return;
    this.counters.outPackets++;
    this.counters.outBytes += view.length;
    try {
      this.socket.send(view, this.params.remotePort, this.params.remoteAddress);
    } catch {
      // socket closed under us during hangup
    }
  }

  private receive(msg: Buffer, rinfo: RemoteInfo): void {
    this.counters.inPackets++;
    this.counters.inBytes += msg.length;
    const h = this.hdr;
    if (!parseRtp(msg, h)) {
      this.counters.inDropped++;
      return;
    }
    if (h.pt === this.params.dtmfPt) {
      this.counters.inDtmfPackets++;
      this.latch(rinfo);
      const d = this.dtmfIn.onPacket(msg, h.payloadOffset, h.payloadLength, h.ts, h.ssrc);
      if (d && this.onDigit) this.onDigit(d);
      return;
    }
    if (h.pt !== PAYLOAD_TYPE[this.params.codec]) {
      this.counters.inDropped++;
      return;
    }
    this.counters.inMediaPackets++;
    this.latch(rinfo);
    const slot = this.jitter.slotFor(h.seq);
    if (slot) decodeInto(this.params.codec, msg, h.payloadOffset, h.payloadLength, slot);
  }

  /**
   * Symmetric RTP: send to where the far end's media comes from. (The socket stays unconnected: a
   * connected UDP socket turns every ICMP port-unreachable into an error event with a stack trace.)
   */
  private latch(rinfo: RemoteInfo): void {
    if (this.latched) return;
    this.latched = true;
    this.params.remoteAddress = rinfo.address;
    this.params.remotePort = rinfo.port;
  }
}
