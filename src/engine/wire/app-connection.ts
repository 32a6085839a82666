import type net from 'node:net';
import { FrameDecoder, encodeFrame } from './frame-decoder.js';

/** One connected drachtio-srf application (a wire-protocol client). */
export class AppConnection {
  authenticated = false;
  tags: string[] = [];
  readonly verbs = new Set<string>();
  readonly decoder: FrameDecoder;
  closed = false;

  constructor(
    readonly id: string,
    readonly socket: net.Socket,
    maxFrameBytes: number,
  ) {
    this.decoder = new FrameDecoder(maxFrameBytes);
  }

  get remote(): string {
    return `${this.socket.remoteAddress}:${this.socket.remotePort}`;
  }

  private corked = false;

  /**
   * Frames written during one turn of the event loop leave in one syscall: the socket stays corked
   * until the loop's check phase, so under load one write carries the frames of every datagram and
   * app message read in that turn.
   */
  send(payload: string): void {
    if (this.closed) return;
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      setImmediate(this.uncork);
    }
    this.socket.write(encodeFrame(payload), 'utf8');
  }

  private readonly uncork = (): void => {
    this.corked = false;
    this.socket.uncork();
  };
}
