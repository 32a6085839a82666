import type Srf from 'drachtio-srf';
import type Mrf from 'drachtio-fsmrf';

/** A caller answered on a media server: knows when they hang up, and hangs up once. */
export class MediaSession {
  gone = false;
  readonly ended: Promise<void>;
  private end: () => void = () => undefined;

  constructor(
    readonly ep: Mrf.Endpoint,
    readonly dialog: Srf.Dialog,
  ) {
    this.ended = new Promise((resolve) => (this.end = resolve));
    // a BYE from the caller; the dialog's own destroy() (ours) does not emit this
    dialog.once('destroy', () => {
      this.gone = true;
      this.end();
    });
  }

  /** Plays a file unless the caller has left; a failure because they left is not an error. */
  async play(file: string): Promise<void> {
    if (this.gone) return;
    await this.ep.play(file);
  }

  async hangUp(): Promise<void> {
    // a running app (record, play) would hold the queued hangup that destroy() executes
    await this.ep.api('uuid_break', `${this.ep.uuid} all`).catch(() => undefined);
    await this.ep.destroy().catch(() => undefined);
    if (!this.gone) {
      this.gone = true;
      this.end();
      await Promise.resolve(this.dialog.destroy()).catch(() => undefined);
    }
  }
}
