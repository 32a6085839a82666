import type { Logger } from 'pino';
import type Srf from 'drachtio-srf';
import type { Config } from '../config/index.js';
import type { Tenant } from '../domain/index.js';
import { BanList, DigestAuthenticator, type AlgorithmPolicy, type Clock, type CredentialLookup } from './auth/index.js';
import { Registrar } from './registrar/index.js';
import type { MediaPort } from './media/media-port.js';
import { ConfigHolder } from './config-holder.js';
import { MwiSubscriptions } from './voicemail/mwi-subscriptions.js';
import { notifyRemoteChange, notifySubscriber } from './voicemail/mwi-notify.js';
import { createVoicemailStore, type VoicemailStore } from '../store/voicemail-store.js';
import { AppEvents } from './events/app-events.js';
import type { Redis } from 'ioredis';
import {
  connectRedis,
  createHotDeskStore,
  createLocationStore,
  createMailboxChanges,
  createSettingsStore,
  redisConfigured,
  StoreHealth,
  watchRedis,
  type HotDeskStore,
  type LocationStore,
  type MailboxChanges,
  type SettingsStore,
  type StoreBackend,
} from '../store/index.js';

/** Everything a handler needs, built once at start. */
export interface AppContext {
  readonly srf: Srf;
  /** the configuration in force (`configs.current()`): read it once when a call or registration starts */
  readonly config: Config;
  /** replaced as a whole by a reload (SIGHUP, admin API) */
  readonly configs: ConfigHolder;
  readonly log: Logger;
  readonly store: LocationStore;
  /** DND and *72 forwards, changed by feature codes */
  readonly settings: SettingsStore;
  /** hot-desk sessions (*22): which guest is logged in on which phone */
  readonly hotDesk: HotDeskStore;
  /** the voicemail index (Redis when configured, else memory) */
  readonly voicemail: VoicemailStore;
  /** this instance's `message-summary` subscriptions; an expired one gets its final NOTIFY */
  readonly mwi: MwiSubscriptions;
  /** mailbox changes told to and heard from the other instances (Redis), for the subscriptions they hold */
  readonly mailboxChanges: MailboxChanges;
  readonly auth: DigestAuthenticator;
  readonly bans: BanList;
  readonly registrar: Registrar;
  /** whether the shared store (Redis) is reachable; `memory` without one */
  readonly storeHealth: StoreHealth;
  /** what every store of this app is built on: the configuration and the one shared Redis connection */
  readonly storeBackend: StoreBackend;
  /** Closes the shared Redis connection (after the stores are closed). */
  closeStoreConnection(): Promise<void>;
  /** the media servers (embedded or FreeSWITCH); absent when media.mode is off */
  readonly media?: MediaPort;
  /** registrations, calls, trunk health and bans as they change (the admin event stream listens) */
  readonly events: AppEvents;
  tenantForRealm(realm: string): Tenant | undefined;
}

export interface AppContextOptions {
  /** shared by every instance so that any of them can verify another's nonces */
  nonceSecret: string;
  clock?: Clock;
  media?: MediaPort;
}

export async function createAppContext(srf: Srf, config: Config, log: Logger, opts: AppContextOptions): Promise<AppContext> {
  // tenant lookups read the configuration in force, so a reload reaches new requests
  const configs = new ConfigHolder(config);
  const tenantForRealm = (realm: string): Tenant | undefined => {
    const byDomain = configs.current().tenantsByDomain;
    return byDomain.get(realm.toLowerCase()) ?? byDomain.get(realm);
  };
  // Challenges carry the tenant's realm, which may differ from its domain.
  const realms = new WeakMap<Config, ReadonlyMap<string, Tenant>>();
  const tenantByRealm = (realm: string): Tenant | undefined => {
    const current = configs.current();
    let byRealm = realms.get(current);
    if (byRealm === undefined) {
      byRealm = new Map([...current.tenants.values()].map((t) => [t.realm, t] as const));
      realms.set(current, byRealm);
    }
    return byRealm.get(realm) ?? tenantForRealm(realm);
  };
  const credentials: CredentialLookup = (realm, extension) => {
    const ext = tenantByRealm(realm)?.extensions.get(extension);
    if (!ext?.password) return undefined;
    return { password: ext.password, sharedDevices: ext.sharedDevices };
  };
  const clock = opts.clock;
  const events = new AppEvents();
  const { backend, health, close: closeStoreConnection } = connectStores(config, log.child({ component: 'store' }));
  const store = createLocationStore(backend, { ...(clock && { clock }), health, log: log.child({ component: 'registrar' }) });
  const trusted = trustedCarrierAddresses(config);
  const bans = new BanList({
    maxFailures: config.auth.ban.maxFailures,
    windowSeconds: config.auth.ban.windowSeconds,
    banSeconds: config.auth.ban.banSeconds,
    trusted,
    ...(clock && { clock }),
    onBan: (entry) => {
      const until = new Date(entry.until).toISOString();
      log.warn({ address: entry.address, until }, 'source address banned after repeated authentication failures');
      if (events.listening) events.emit({ type: 'ban.added', address: entry.address, failures: entry.failures, bannedAt: new Date(entry.bannedAt).toISOString(), until });
    },
    onLift: (address) => {
      if (events.listening) events.emit({ type: 'ban.lifted', address });
    },
  });
  // extension overrides tenant overrides platform
  const algorithmsFor: AlgorithmPolicy = (realm, extension) => {
    const tenant = tenantByRealm(realm);
    const ext = extension === undefined ? undefined : tenant?.extensions.get(extension);
    return ext?.authAlgorithms ?? tenant?.authAlgorithms ?? config.auth.algorithms;
  };
  const auth = new DigestAuthenticator({ secrets: [opts.nonceSecret], credentials, nonceTtlSeconds: config.auth.nonceTtlSeconds, algorithmsFor, ...(clock && { clock }) });
  const registrar = new Registrar({
    store,
    events,
    rules: { minSeconds: config.registrar.minExpires, maxSeconds: config.registrar.maxExpires, defaultSeconds: config.registrar.defaultExpires },
    ...(clock && { clock }),
  });
  // a trunk a reload adds (or re-addresses) is trusted at once; a removed one no longer
  configs.onReplace((next) => bans.replaceTrusted(trustedCarrierAddresses(next)));
  const settings = createSettingsStore(backend);
  const hotDesk = createHotDeskStore(backend);
  const mwi = new MwiSubscriptions((sub) => {
    log.debug({ extension: sub.extension, device: sub.deviceUser }, 'MWI subscription expired');
    notifySubscriber(ctx, sub, undefined, { terminated: 'timeout' }, log);
  });
  const mailboxChanges = createMailboxChanges(backend, (err) => log.warn({ err: err.message }, 'MWI: mailbox changes not shared with the other instances'));
  const ctx: AppContext = {
    srf,
    get config(): Config {
      return configs.current();
    },
    configs,
    log,
    store,
    settings,
    hotDesk,
    voicemail: createVoicemailStore(backend),
    mwi,
    mailboxChanges,
    auth,
    bans,
    registrar,
    events,
    tenantForRealm,
    ...(opts.media && { media: opts.media }),
    storeHealth: health,
    storeBackend: backend,
    closeStoreConnection,
  };
  mailboxChanges.listen(
    (tenant, extension) =>
      void notifyRemoteChange(ctx, tenant, extension, log).catch((err: unknown) =>
        log.warn({ extension, err: err instanceof Error ? err.message : String(err) }, "MWI for another instance's change not sent"),
      ),
  );
  return ctx;
}

/** One Redis connection for every store, watched by the store health; none without Redis. */
function connectStores(config: Config, log: Logger): { backend: StoreBackend; health: StoreHealth; close: () => Promise<void> } {
  const cfg = config.redis;
  if (!redisConfigured(cfg)) {
    return { backend: {}, health: new StoreHealth({ log, initial: 'memory' }), close: async () => undefined };
  }
  const client: Redis = connectRedis(cfg);
  const health = new StoreHealth({ log, probe: () => client.ping() });
  watchRedis(client, health);
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      health.stop();
      try {
        await client.quit();
      } catch {
        client.disconnect();
      }
    })());
  return { backend: { redis: cfg, client }, health, close };
}

/** Source addresses of every tenant's trunks: never challenged, never banned. */
function trustedCarrierAddresses(config: Config): string[] {
  const out: string[] = [];
  for (const t of config.tenants.values()) for (const trunk of t.trunks.values()) out.push(...trunk.trustedAddresses);
  return out;
}
