// The part of drachtio-fsmrf 4.1.2's API the application and the media tests use (the package ships no types).
declare module 'drachtio-fsmrf' {
  import type Srf from 'drachtio-srf';
  import type { EventEmitter } from 'node:events';

  namespace Mrf {
    interface ConnectOptions {
      address: string;
      port?: number;
      secret?: string;
      listenAddress?: string;
      listenPort?: number;
      advertisedAddress?: string;
      profile?: string;
    }
    interface Endpoint extends EventEmitter {
      uuid: string;
      connected: boolean;
      local: { sdp: string; mediaIp: string; mediaPort: string };
      remote: { sdp: string; mediaIp: string; mediaPort: string };
      dialog: Srf.Dialog;
      dtmfType: string;
      play(file: string | string[] | { file: string; seekOffset?: number; timeoutSecs?: number }): Promise<{ playbackSeconds: string; playbackMilliseconds: string; playbackLastOffsetPos: string }>;
      playCollect(opts: Record<string, unknown>): Promise<{ digits: string; invalidDigits?: string; terminatorUsed: string; playbackSeconds?: string; playbackMilliseconds?: string }>;
      record(
        file: string,
        opts?: { timeLimitSecs?: number; silenceThresh?: number; silenceHits?: number },
      ): Promise<{ terminatorUsed: string; recordSeconds: string; recordMilliseconds: string; recordSamples: string }>;
      recordSession(...args: string[]): Promise<unknown>;
      execute(app: string, arg?: string): Promise<{ headers: Array<{ name: string; value: string }>; body: string; getHeader(n: string): string }>;
      api(cmd: string, args?: string | string[]): Promise<{ body: string; getBody(): string }>;
      set(name: string | Record<string, string>, value?: string): Promise<unknown>;
      bridge(other: Endpoint): Promise<unknown>;
      unbridge(): Promise<unknown>;
      mute(): Promise<unknown>;
      unmute(): Promise<unknown>;
      modify(sdp: string): Promise<unknown>;
      getChannelVariables(includeMedia?: boolean): Promise<Record<string, string | number>>;
      destroy(): Promise<void>;
    }
    interface MediaServer extends EventEmitter {
      createEndpoint(opts?: { remoteSdp?: string; codecs?: string | string[]; headers?: Record<string, string> }): Promise<Endpoint>;
      connectCaller(req: Srf.SrfRequest, res: Srf.SrfResponse, opts?: Record<string, unknown>): Promise<{ endpoint: Endpoint; dialog: Srf.Dialog }>;
      api(cmd: string): Promise<string>;
      disconnect(): void;
      hasCapability(c: string | string[]): boolean;
      maxSessions: number;
      currentSessions: number;
      sip: { ipv4: { udp: { address?: string }; dtls: { address?: string } } };
    }
  }
  class Mrf extends EventEmitter {
    constructor(srf: Srf, opts?: Record<string, unknown>);
    connect(opts: Mrf.ConnectOptions): Promise<Mrf.MediaServer>;
  }
  export = Mrf;
}
