import { z } from 'zod';
import { digestAlgorithms, host, int, listenTransport, port } from './primitives.js';

/**
 * Sections for the SIP engine and the application (not the routing domain). They are loose:
 * keys added by other parts of the product pass through untouched.
 */
/** PEM files of a TLS listen point; read when the engine starts (a bad path stops it, naming the file). */
export const listenTlsSchema = z.object({
  certFile: z.string().min(1),
  keyFile: z.string().min(1),
  /** intermediate certificates, sent after certFile's */
  chainFile: z.string().min(1).optional(),
  /** when set, servers the engine connects to over TLS must present a certificate from these CAs */
  caFile: z.string().min(1).optional(),
});

export const listenSchema = z
  .looseObject({
    host: host.default('127.0.0.1'),
    port: port.default(5060),
    transports: z.array(listenTransport).min(1).default(['udp', 'tcp']),
    tls: listenTlsSchema.optional(),
  })
  .superRefine((l, ctx) => {
    if (!l.transports.includes('tls')) return;
    if (!l.tls) ctx.addIssue({ code: 'custom', path: ['tls'], message: 'transport tls needs tls.certFile and tls.keyFile' });
    if (l.transports.includes('tcp')) ctx.addIssue({ code: 'custom', path: ['transports'], message: 'tcp and tls cannot share a port: give tls a listen entry of its own (port 5061 usually)' });
  });

export const sipSchema = z.looseObject({
  listen: z
    .array(listenSchema)
    .min(1)
    .default([{ host: '127.0.0.1', port: 5060, transports: ['udp', 'tcp'] }]),
});

export const drachtioSchema = z.looseObject({
  mode: z.enum(['embedded', 'external']).default('embedded'),
  host: host.default('127.0.0.1'),
  port: port.default(9022),
  secret: z.string().min(1).default('cymru'),
  /** embedded mode: run the engine in its own worker thread, on a second core */
  ownThread: z.boolean().default(true),
});

export const registrarSchema = z
  .looseObject({
    minExpires: int(1, 86_400).default(60),
    maxExpires: int(1, 86_400).default(3600),
    defaultExpires: int(1, 86_400).default(120),
  })
  .refine((r) => r.minExpires <= r.defaultExpires && r.defaultExpires <= r.maxExpires, {
    message: 'must satisfy minExpires <= defaultExpires <= maxExpires',
  });

export const authSchema = z.looseObject({
  nonceTtlSeconds: int(1, 86_400).default(300),
  /**
   * Offered in this order. MD5 alone by default: SIPp, baresip 1.0, SIPVicious and most deployed
   * phones answer only the first challenge and fail on SHA-256 (see README, "Digest algorithms").
   */
  algorithms: digestAlgorithms.default(['MD5']),
  ban: z
    .looseObject({
      maxFailures: int(1, 1_000_000).default(10),
      windowSeconds: int(1, 86_400).default(60),
      banSeconds: int(0, 31_536_000).default(600),
    })
    .prefault({}),
});

/** Absent (or null): the in-memory store. */
export const redisSchema = z.looseObject({
  url: z.string().min(1).optional(),
  host: host.optional(),
  port: port.optional(),
  password: z.string().optional(),
  /** Sentinel master name, with `sentinels`. */
  name: z.string().optional(),
  sentinels: z.array(z.looseObject({ host, port: port.default(26379) })).optional(),
  keyPrefix: z.string().optional(),
  /** a command not answered within this many ms fails, and the caller falls back (default 500) */
  commandTimeoutMs: int(1, 3_600_000).optional(),
});

export const logSchema = z.looseObject({
  level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** auto: pretty lines on a terminal, JSON lines otherwise (LOG_FORMAT overrides) */
  format: z.enum(['auto', 'json', 'pretty']).default('auto'),
});

export const httpSchema = z.looseObject({
  host: host.default('127.0.0.1'),
  port: port.default(8080),
  enabled: z.boolean().default(false),
});

const freeswitchServerSchema = z.looseObject({
  host: host.default('127.0.0.1'),
  port: port.default(8021),
  secret: z.string().min(1).default('ClueCon'),
  /** where FreeSWITCH's outbound event socket connects back to (this application) */
  listenAddress: host.default('0.0.0.0'),
  advertisedAddress: host.optional(),
});

/** What the embedded media threads ask the scheduler for, as a telephony media server does. */
export const DEFAULT_MEDIA_PRIORITY = -10;
/** The media threads' real-time (SCHED_RR) priority: above ordinary work, far below the kernel's own (50, 99). */
export const DEFAULT_MEDIA_REALTIME_PRIORITY = 10;

/**
 * Where media (IVR prompts, digits, recordings) is handled: `embedded` starts the built-in media
 * server in its own thread on loopback; `freeswitch` connects to FreeSWITCH event sockets (as
 * docker-compose does); `off` runs without media (voice features answer 501).
 */
export const mediaSchema = z.looseObject({
  mode: z.enum(['embedded', 'freeswitch', 'off']).default('embedded'),
  embedded: z
    .looseObject({
      host: host.default('127.0.0.1'),
      sipPort: port.default(5080),
      rtpRangeStart: port.default(20000),
      rtpRangeEnd: port.default(20999),
      /**
       * media servers, each in its own worker thread (its own pacer, event loop and heap) on SIP
       * port sipPort + 2·i with an even share of the RTP range; calls are spread round robin
       */
      threads: int(1, 16).default(1),
      /**
       * nice value the media threads ask for (-20 … 19, 0 leaves them as they are): RTP pacing
       * misses its 20 ms when other work takes the core first. Raising priority needs root or
       * CAP_SYS_NICE; without it the threads run at normal priority and one line says so.
       */
      priority: int(-20, 19).default(DEFAULT_MEDIA_PRIORITY),
      /**
       * SCHED_RR priority the media threads ask for (1 … 99; 0 keeps them in the normal class, at
       * `priority`), as FreeSWITCH's packaged service runs its own: a real-time thread gets the core
       * the moment its timer fires, where a nice one can wait milliseconds behind SIP and the app.
       * Needs CAP_SYS_NICE (or an RLIMIT_RTPRIO) and util-linux's chrt; refused, one line says so.
       */
      realtimePriority: int(0, 99).default(DEFAULT_MEDIA_REALTIME_PRIORITY),
    })
    .refine((e) => (e.rtpRangeEnd - e.rtpRangeStart + 1) / e.threads >= 2, { message: 'the RTP range must leave each media thread at least two ports', path: ['threads'] })
    .prefault({}),
  /** one FreeSWITCH event socket, or a list of them (calls are spread round robin over the connected ones) */
  freeswitch: z
    .union([freeswitchServerSchema, z.array(freeswitchServerSchema).min(1, 'list at least one media server')])
    .transform((s) => (Array.isArray(s) ? s : [s]))
    .prefault({}),
  /** prompts: <soundsDir>/<language>/<name>.wav */
  soundsDir: z.string().min(1).default('sounds'),
  language: z.string().min(1).default('en'),
  recordingsDir: z.string().min(1).default('recordings'),
  /** voicemail messages: <voicemailDir>/<tenant>/<extension>/<date>_<caller>.wav (a path of the media server's machine) */
  voicemailDir: z.string().min(1).default('voicemail'),
});

export type MediaConfig = z.infer<typeof mediaSchema>;
export type SipConfig = z.infer<typeof sipSchema>;
export type ListenConfig = z.infer<typeof listenSchema>;
export type DrachtioConfig = z.infer<typeof drachtioSchema>;
export type RegistrarConfig = z.infer<typeof registrarSchema>;
export type AuthConfig = z.infer<typeof authSchema>;
export type RedisConfig = z.infer<typeof redisSchema>;
export type LogConfig = z.infer<typeof logSchema>;
export type HttpConfig = z.infer<typeof httpSchema>;
