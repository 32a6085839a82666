import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';

/**
 * baresip 1.0 (Debian baresip-core), a real softphone, driven over its ctrl_tcp interface
 * (netstring-framed JSON: commands in, responses and events out).
 *
 * Audio: `aufile` plays an 8 kHz WAV into the call; baresip 1.0's aufile has no player, so the
 * `sndfile` filter records what was sent and received as `dump-*-enc.wav` / `dump-*-dec.wav`.
 * baresip binds SIP to `sip_listen` but its RTP sockets to 0.0.0.0 and its outgoing TCP
 * connections are not bound (the kernel picks 127.0.0.1 as their source on loopback).
 */
export interface BaresipOptions {
  /** folder of this instance (config, accounts, recordings), created if missing */
  dir: string;
  ip: string;
  /** each phone has an address of its own, so the ports may be the same for all (default 5071, 4444) */
  sipPort: number;
  ctrlPort: number;
  user: string;
  password: string;
  domain: string;
  /** outbound proxy URI, e.g. `sip:127.0.0.1:5060` or `sip:127.0.0.1:5060;transport=tcp` */
  outbound: string;
  autoAnswer?: boolean;
  /** WAV (8 kHz mono) played into every call */
  audioSource: string;
  /** baresip quits by itself after this long (a bound on the process; default 40) */
  lifetimeSec: number;
}

const PHONE_DEFAULTS = { sipPort: 5071, ctrlPort: 4444, lifetimeSec: 40 };

export interface BaresipEvent {
  type: string;
  class?: string;
  accountaor?: string;
  direction?: string;
  peeruri?: string;
  peerdisplayname?: string;
  param?: string;
  id?: string;
}

interface CtrlResponse {
  ok: boolean;
  data: string;
  token?: string;
}

export class Baresip {
  readonly events: BaresipEvent[] = [];
  output = '';
  private readonly waiters: Array<() => void> = [];
  private readonly pending = new Map<string, (r: CtrlResponse) => void>();
  private sock: Socket | undefined;
  private tokens = 0;
  private readonly exited: Promise<number | null>;

  private constructor(
    readonly o: BaresipOptions,
    private readonly child: ChildProcess,
  ) {
    child.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  static async start(given: Omit<BaresipOptions, keyof typeof PHONE_DEFAULTS> & Partial<BaresipOptions>): Promise<Baresip> {
    const o: BaresipOptions = { ...PHONE_DEFAULTS, ...given };
    mkdirSync(o.dir, { recursive: true });
    writeFileSync(
      join(o.dir, 'config'),
      [
        'poll_method poll',
        `sip_listen ${o.ip}:${o.sipPort}`,
        `net_interface ${o.ip}`,
        `audio_source aufile,${o.audioSource}`,
        'module_path /usr/lib/baresip/modules',
        'module g711.so',
        'module aufile.so',
        'module sndfile.so',
        `snd_path ${o.dir}`,
        'module_app account.so',
        'module_app menu.so',
        'module_app ctrl_tcp.so',
        `ctrl_tcp_listen ${o.ip}:${o.ctrlPort}`,
        '',
      ].join('\n'),
    );
    const params = [`auth_pass=${o.password}`, `outbound="${o.outbound}"`, 'regint=300', ...(o.autoAnswer ? ['answermode=auto'] : [])];
    writeFileSync(join(o.dir, 'accounts'), `<sip:${o.user}@${o.domain}>;${params.join(';')}\n`);
    const child = spawn('baresip', ['-f', o.dir, '-t', String(o.lifetimeSec)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const b = new Baresip(o, child);
    try {
      await b.connectCtrl(5_000);
    } catch (err) {
      b.kill();
      throw err;
    }
    return b;
  }

  private async connectCtrl(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        this.sock = await new Promise<Socket>((resolve, reject) => {
          const s = connect({ host: this.o.ip, port: this.o.ctrlPort });
          s.once('connect', () => resolve(s));
          s.once('error', reject);
        });
        break;
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`baresip ctrl_tcp ${this.o.ip}:${this.o.ctrlPort} unreachable: ${String(err)}\n${this.output}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    let buf = '';
    this.sock.setEncoding('utf8');
    this.sock.on('data', (chunk: string) => {
      buf += chunk;
      for (;;) {
        const colon = buf.indexOf(':');
        if (colon < 0) return;
        const len = Number(buf.slice(0, colon));
        if (buf.length < colon + 1 + len + 1) return;
        this.onMessage(buf.slice(colon + 1, colon + 1 + len));
        buf = buf.slice(colon + 1 + len + 1);
      }
    });
    this.sock.on('error', () => undefined);
  }

  private onMessage(text: string): void {
    const m = JSON.parse(text) as { event?: boolean; response?: boolean } & BaresipEvent & CtrlResponse;
    if (m.response && m.token) {
      this.pending.get(m.token)?.(m);
      this.pending.delete(m.token);
    } else if (m.event) {
      this.events.push(m);
      for (const w of this.waiters.splice(0)) w();
    }
  }

  /** Runs a menu command (`dial`, `hangup`, `quit`, ...) and returns baresip's response. */
  command(command: string, params = '', timeoutMs = 5_000): Promise<CtrlResponse> {
    const token = `t${++this.tokens}`;
    const json = JSON.stringify({ command, params, token });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`baresip ${command}: no response`)), timeoutMs);
      this.pending.set(token, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
      this.sock!.write(`${Buffer.byteLength(json)}:${json},`);
    });
  }

  /** Resolves with the first event (already seen or future) of that type. */
  async waitEvent(type: string, timeoutMs = 10_000): Promise<BaresipEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const e = this.events.find((ev) => ev.type === type);
      if (e) return e;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`baresip ${this.o.user}: no ${type} event in ${timeoutMs} ms; events: ${this.events.map((ev) => ev.type).join(' ')}\n${this.output}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Quits cleanly (baresip unregisters and closes its recordings); SIGKILL if it hangs. */
  async quit(timeoutMs = 5_000): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    await this.command('quit').catch(() => undefined);
    const timer = setTimeout(() => this.kill(), timeoutMs);
    const code = await this.exited;
    clearTimeout(timer);
    this.sock?.destroy();
    return code;
  }

  kill(): void {
    this.sock?.destroy();
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  /** The WAV files sndfile wrote for the (single) call: what was sent and what was received. */
  recordings(): { sent: string; received: string } {
    const files = readdirSync(this.o.dir);
    const find = (suffix: string): string => {
      const f = files.find((n) => n.startsWith('dump-') && n.endsWith(suffix));
      if (!f) throw new Error(`baresip ${this.o.user}: no *${suffix} recording in ${this.o.dir} (${files.join(' ')})`);
      return join(this.o.dir, f);
    };
    return { sent: find('-enc.wav'), received: find('-dec.wav') };
  }
}
