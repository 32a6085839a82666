import type net from 'node:net';
import { FrameDecoder, encodeFrame } from './frame-decoder.js';

/** One connected drachtio-srf application (a wire-protocol client). */
export class AppConnection {
  authenticated = false;
  tags: string[] = [];
  readonly verbs = new Set<string>();
  readonly decoder: FrameDecoder;
  closed = false;

  constructor(readonly id: string, readonly socket: net.Socket, maxFrameBytes: number) {
    this.decoder = new FrameDecoder(maxFrameBytes);
  }

  get remote(): string {
    return `${this.socket.remoteAddress}:${this.socket.remotePort}`;
  }

  private corked = false;

  /** Frames written in one tick leave in one syscall (cork until the next tick). */
  send(payload: string): void {
    if (this.closed) return;
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(() => {
        this.corked = false;
        this.socket.uncork();
      });
    }
    this.socket.write(encodeFrame(payload));
  }
}
