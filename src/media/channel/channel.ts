import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Codec } from '../rtp/g711.js';
import { RtpSession, SAMPLES } from '../rtp/rtp-session.js';
import type { Tickable } from '../rtp/pacer.js';
import type { ReceivedDigit } from '../rtp/dtmf.js';
import { Variables } from './variables.js';
import { ChannelState, transition } from './state.js';
import type { ServerContext, SipLeg } from './context.js';
import { channelEvent } from './channel-events.js';
import { skipEventSequence } from '../esl/event-factory.js';
import type { DigitHandler, FrameSource, MediaTap } from './media-taps.js';
import { DtmfSender } from './dtmf-sender.js';
import { AppRunner } from './app-runner.js';
import { APPS } from '../apps/registry.js';

export interface PlayResult {
  /** samples sent at the channel rate */
  samples: number;
  reason: 'done' | 'break' | 'hangup';
}

interface Playing {
  source: FrameSource;
  samples: number;
  done: (r: PlayResult) => void;
}

/**
 * One call leg on the media server: variables, the guarded state, the media of each 20 ms tick
 * (read → taps → bridge partner; source / bridge / silence → taps → send) and its hang-up.
 * Apps run through ChannelApps (app-runner.ts); this class only offers the primitives they use.
 */
export class Channel implements Tickable {
  readonly uuid = randomUUID();
  readonly createdAt = Date.now();
  readonly vars: Variables;
  readonly log: Logger;
  state = ChannelState.Ringing;
  hangupCause: string | undefined;
  rtp: RtpSession | undefined;
  muted = false;
  pacedAt = 0;
  /** the partner this channel's read audio goes to */
  bridgedTo: Channel | undefined;
  /** audio observers (record, record_session); an array so the per-tick loops allocate nothing */
  private tapList: MediaTap[] = [];
  digitHandler: DigitHandler | undefined;
  /** hang-up listeners: app runner, outbound socket, SIP side, bridge partner */
  readonly onHangup: Array<(cause: string) => void> = [];

  /** A hang-up listener for the duration of one wait; call the returned function when done. */
  untilHangup(f: () => void): () => void {
    this.onHangup.push(f);
    return () => {
      const i = this.onHangup.indexOf(f);
      if (i >= 0) this.onHangup.splice(i, 1);
    };
  }
  readonly onDestroy: Array<() => void> = [];
  readonly runner: AppRunner;
  private playing: Playing | undefined;
  private dtmfOut: DtmfSender | undefined;
  private readonly readBuf = new Int16Array(SAMPLES);
  private readonly writeBuf = new Int16Array(SAMPLES);
  private readonly bridgeIn = new Int16Array(SAMPLES);
  private hasBridgeIn = false;
  /** `send` produced a frame the taps have not seen yet */
  private tapPending = false;

  constructor(
    readonly ctx: ServerContext,
    readonly name: string,
    private readonly sip: SipLeg,
  ) {
    this.vars = new Variables(ctx.globals);
    this.log = ctx.logger.child({ channel: this.uuid });
    this.runner = new AppRunner(this, APPS);
  }

  get codec(): Codec {
    return this.rtp?.codec ?? 'PCMU';
  }

  addTap(t: MediaTap): void {
    if (!this.tapList.includes(t)) this.tapList = [...this.tapList, t];
  }

  removeTap(t: MediaTap): void {
    this.tapList = this.tapList.filter((x) => x !== t);
  }

  get up(): boolean {
    return this.state === ChannelState.Ringing || this.state === ChannelState.Active;
  }

  fire(name: string, extra: Array<[string, string]> = [], subclass?: string): void {
    const sink = this.ctx.events;
    if (sink.wants && !sink.wants(name, subclass, this.uuid)) {
      // nobody listens: the event (a hundred-odd headers) is not built, but it still takes its number
      skipEventSequence();
      return;
    }
    sink.fire(channelEvent(this.ctx, this, name, extra, subclass));
  }

  /** Media negotiated and the ACK seen (3pcc) or the 200 sent: start the clock for this channel. */
  activate(rtp: RtpSession): void {
    this.rtp = rtp;
    rtp.onDigit = (d) => this.receivedDigit(d);
    this.state = transition(this.state, ChannelState.Active);
    this.ctx.pacer.add(this);
    this.fire('CHANNEL_ANSWER');
    this.fire('CHANNEL_CALLSTATE', [
      ['Original-Channel-Call-State', 'RINGING'],
      ['Channel-Call-State-Number', '1'],
    ]);
  }

  /** Plays a source until it ends, `stop()` is called, or the channel hangs up. */
  play(source: FrameSource): { result: Promise<PlayResult>; stop: () => void } {
    this.finishPlaying('break');
    let done!: (r: PlayResult) => void;
    const result = new Promise<PlayResult>((r) => (done = r));
    if (!this.up) done({ samples: 0, reason: 'hangup' });
    else this.playing = { source, samples: 0, done };
    const mine = this.playing;
    return { result, stop: () => this.playing === mine && this.finishPlaying('break') };
  }

  sendDtmf(spec: string): Promise<void> {
    return new Promise((resolve) => {
      if (!this.rtp?.canSendDtmf || !this.up) return resolve();
      const s = new DtmfSender(spec);
      s.onDone = () => resolve();
      this.dtmfOut = s;
    });
  }

  private finishPlaying(reason: PlayResult['reason']): void {
    const p = this.playing;
    if (!p) return;
    this.playing = undefined;
    p.done({ samples: p.samples, reason });
  }

  private receivedDigit(d: ReceivedDigit): void {
    if (!this.up) return;
    this.fire('DTMF', [
      ['DTMF-Digit', d.digit],
      ['DTMF-Duration', String(d.duration)],
      ['DTMF-Source', 'RTP'],
      ['DTMF-SSRC', String(d.ssrc)],
      ['DTMF-Timestamp', String(d.timestamp)],
    ]);
    this.digitHandler?.(d.digit);
  }

  /** Inject a digit as if received (uuid_send_dtmf towards apps is not this; used by tests of apps). */
  deliverDigit(digit: string): void {
    this.receivedDigit({ digit, duration: 2000, ssrc: 0, timestamp: 0 });
  }

  /** One whole 20 ms frame (the pacer calls the two halves itself, `send` for a phase first). */
  tick(): void {
    this.send();
    this.finish();
  }

  /** What this frame sends: DTMF, the playing source, the bridge partner's audio, or silence. */
  send(): void {
    const rtp = this.rtp;
    if (!rtp) return;
    const out = this.writeBuf;
    this.tapPending = true;
    if (this.dtmfOut) {
      if (!this.dtmfOut.step(rtp)) this.dtmfOut = undefined;
      else {
        out.fill(0);
        return;
      }
    }
    const p = this.playing;
    let send = true;
    if (p) {
      if (p.source.read(out)) {
        p.samples += SAMPLES;
        const at = p.source.frameAt ?? -1;
        const enc = at >= 0 ? p.source.encoded?.(rtp.codec) : undefined;
        if (enc) return rtp.sendEncoded(enc, at);
      } else {
        out.fill(0);
        this.finishPlaying('done');
      }
    } else if (this.hasBridgeIn) {
      out.set(this.bridgeIn);
      this.hasBridgeIn = false;
    } else {
      out.fill(0);
      send = this.sendSilence;
    }
    if (send) rtp.sendAudio(out);
    else rtp.skipFrame();
  }

  /**
   * The rest of the frame: the taps see what was sent, then what was received (a record_session tap
   * pairs this frame's sent audio with the previous frame's received audio), and the bridge partner
   * gets the received frame.
   */
  finish(): void {
    const rtp = this.rtp;
    if (!rtp) return;
    const taps = this.tapList;
    if (this.tapPending) {
      this.tapPending = false;
      for (let i = 0; i < taps.length; i++) taps[i]!.onWrite?.(this.writeBuf);
    }
    const read = this.readBuf;
    if (!rtp.readFrame(read) || this.muted) read.fill(0);
    for (let i = 0; i < taps.length; i++) taps[i]!.onRead?.(read);
    const peer = this.bridgedTo;
    if (peer) {
      peer.bridgeIn.set(read);
      peer.hasBridgeIn = true;
    }
  }

  /** send_silence_when_idle set and non-zero */
  private get sendSilence(): boolean {
    const v = this.vars.get('send_silence_when_idle');
    return v !== undefined && v !== '0';
  }

  /** Hangs up once: events, BYE (unless the far end sent it), resources released. */
  hangup(cause: string, byeFromPeer = false): void {
    if (!this.up) return;
    const wasActive = this.state === ChannelState.Active;
    this.state = transition(this.state, ChannelState.Hangup);
    this.hangupCause = cause;
    this.vars.set('hangup_cause', cause);
    this.finishPlaying('hangup');
    this.ctx.pacer.remove(this);
    for (const f of this.onHangup.splice(0)) f(cause);
    this.fire('CHANNEL_HANGUP', [['Hangup-Cause', cause]]);
    this.fire('CHANNEL_CALLSTATE', [
      ['Original-Channel-Call-State', wasActive ? 'ACTIVE' : 'RINGING'],
      ['Channel-Call-State-Number', '7'],
    ]);
    const bye = byeFromPeer ? Promise.resolve() : this.sip.bye(cause).catch(() => undefined);
    // the interrupted app's EXECUTE_COMPLETE goes out before the socket's disconnect notice
    void Promise.all([bye, this.runner.idle()]).then(() => this.destroy());
  }

  private destroy(): void {
    this.fire('CHANNEL_HANGUP_COMPLETE', [['Hangup-Cause', this.hangupCause ?? 'NORMAL_CLEARING']]);
    this.fire('CHANNEL_DESTROY');
    this.state = transition(this.state, ChannelState.Destroyed);
    this.ctx.channels.delete(this.uuid);
    for (const f of this.onDestroy.splice(0)) f();
  }
}
