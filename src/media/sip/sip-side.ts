import { describeListenError } from '../../engine/listen-error.js';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import Srf from 'drachtio-srf';
import { SipEngine } from '../../engine/engine.js';
import { MediaError } from '../errors.js';

/**
 * The media server's SIP profile: an srf application on an embedded engine of its own.
 * Reusing the engine this way (rather than its layers directly) gives the server the transaction
 * layer, dialog state, in-dialog routing, retransmissions, CANCEL and BYE handling the engine and srf
 * already have and test — a media server needs only a UAS, which is exactly what srf makes easy —
 * at the cost of one loopback TCP wire connection per media server.
 */
export class SipSide {
  private constructor(
    readonly engine: SipEngine,
    readonly srf: Srf,
  ) {}

  static async start(host: string, port: number, logger: Logger): Promise<SipSide> {
    const secret = randomBytes(12).toString('hex');
    const engine = new SipEngine({
      sip: [{ host, port, transports: ['udp', 'tcp'] }],
      wire: { host, port: 0, secret },
      logger: logger.child({ part: 'sip' }),
    });
    try {
      await engine.start();
    } catch (err) {
      throw new MediaError('MEDIA_BIND_FAILED', `SIP ${describeListenError(err) ?? `${host}:${port}: ${(err as Error).message}`}`);
    }
    const srf = new Srf();
    await new Promise<void>((resolve, reject) => {
      srf.connect({ host, port: engine.wirePort, secret });
      srf.once('connect', (err: Error | undefined) => (err ? reject(err) : resolve()));
    });
    return new SipSide(engine, srf);
  }

  get port(): number {
    return this.engine.listenPoints[0]!.port;
  }

  async stop(): Promise<void> {
    try {
      this.srf.disconnect();
    } catch {
      // already gone
    }
    await this.engine.stop();
  }
}
