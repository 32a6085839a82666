import { writeFileSync } from 'node:fs';
import { linearToUlaw } from './rtp-peer.js';

// A pcap of one PCMU RTP stream for SIPp's play_pcap_audio, built with the test's own G.711 code
// (never the media server's). SIPp replaces the addresses and ports; it keeps the packet timing.

const PCAP_MAGIC = 0xa1b2c3d4;
const LINKTYPE_ETHERNET = 1;

function ipv4Checksum(h: Buffer): number {
  let sum = 0;
  for (let i = 0; i < h.length; i += 2) sum += h.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** Ethernet + IPv4 + UDP (checksum 0: none) around one RTP packet. */
function frame(rtp: Buffer): Buffer {
  const eth = Buffer.alloc(14);
  eth.writeUInt16BE(0x0800, 12);
  const ip = Buffer.alloc(20);
  ip[0] = 0x45;
  ip.writeUInt16BE(20 + 8 + rtp.length, 2);
  ip[8] = 64; // TTL
  ip[9] = 17; // UDP
  Buffer.from([10, 0, 0, 1]).copy(ip, 12);
  Buffer.from([10, 0, 0, 2]).copy(ip, 16);
  ip.writeUInt16BE(ipv4Checksum(ip), 10);
  const udp = Buffer.alloc(8);
  udp.writeUInt16BE(40000, 0);
  udp.writeUInt16BE(40002, 2);
  udp.writeUInt16BE(8 + rtp.length, 4);
  return Buffer.concat([eth, ip, udp, rtp]);
}

/** `ms` of a `hz` sine as PCMU (pt 0), one 20 ms packet every 20 ms of capture time. */
export function toneRtpPcap(hz: number, ms: number, amplitude = 8000): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(PCAP_MAGIC, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(LINKTYPE_ETHERNET, 20);
  const parts: Buffer[] = [header];
  const packets = Math.round(ms / 20);
  let phase = 0;
  for (let n = 0; n < packets; n++) {
    const rtp = Buffer.alloc(12 + 160);
    rtp[0] = 0x80;
    rtp[1] = n === 0 ? 0x80 : 0x00; // marker on the first packet, PT 0
    rtp.writeUInt16BE((4000 + n) & 0xffff, 2);
    rtp.writeUInt32BE((160 * n) >>> 0, 4);
    rtp.writeUInt32BE(0x5eed1234, 8);
    for (let i = 0; i < 160; i++) {
      rtp[12 + i] = linearToUlaw(Math.round(amplitude * Math.sin(phase)));
      phase += (2 * Math.PI * hz) / 8000;
    }
    const f = frame(rtp);
    const rec = Buffer.alloc(16);
    const usec = n * 20_000;
    rec.writeUInt32LE(1_700_000_000 + Math.floor(usec / 1_000_000), 0);
    rec.writeUInt32LE(usec % 1_000_000, 4);
    rec.writeUInt32LE(f.length, 8);
    rec.writeUInt32LE(f.length, 12);
    parts.push(rec, f);
  }
  return Buffer.concat(parts);
}

export function writeToneRtpPcap(file: string, hz: number, ms: number): void {
  writeFileSync(file, toneRtpPcap(hz, ms));
}
