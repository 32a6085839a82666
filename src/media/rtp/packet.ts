/** Fields of a received RTP packet (RFC 3550 §5.1); payload is a view into the datagram. */
export interface RtpHeader {
  marker: boolean;
  pt: number;
  seq: number;
  ts: number;
  ssrc: number;
  payloadOffset: number;
  payloadLength: number;
}

/** Parses into `out`; false for anything that is not a well-formed RTP v2 packet. */
export function parseRtp(b: Buffer, out: RtpHeader): boolean {
  if (b.length < 12 || b[0]! >> 6 !== 2) return false;
  const cc = b[0]! & 0x0f;
  let off = 12 + cc * 4;
  if (b[0]! & 0x10) {
    if (b.length < off + 4) return false;
    off += 4 + b.readUInt16BE(off + 2) * 4;
  }
  let end = b.length;
  if (b[0]! & 0x20) end -= b[b.length - 1]!;
  if (off > end) return false;
  out.marker = (b[1]! & 0x80) !== 0;
  out.pt = b[1]! & 0x7f;
  out.seq = b.readUInt16BE(2);
  out.ts = b.readUInt32BE(4);
  out.ssrc = b.readUInt32BE(8);
  out.payloadOffset = off;
  out.payloadLength = end - off;
  return true;
}

/** Writes a 12-byte header in place. */
export function writeRtpHeader(b: Buffer, pt: number, marker: boolean, seq: number, ts: number, ssrc: number): void {
  b[0] = 0x80;
  b[1] = (marker ? 0x80 : 0) | (pt & 0x7f);
  b.writeUInt16BE(seq & 0xffff, 2);
  b.writeUInt32BE(ts >>> 0, 4);
  b.writeUInt32BE(ssrc >>> 0, 8);
}
