import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// Dependency direction (ARCHITECTURE.md): the engine knows nothing of the product, the domain
// does no I/O, and the app reaches the engine only through drachtio-srf.
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g), ...text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]!);
}

function violations(dir: string, forbidden: (spec: string, file: string) => boolean): string[] {
  return sources(dir).flatMap((f) =>
    importsOf(f)
      .filter((s) => forbidden(s, f))
      .map((s) => `${relative(process.cwd(), f)} imports ${s}`),
  );
}

describe('dependency direction', () => {
  it('src/engine imports nothing of app, domain, store or config', () => {
    expect(violations('src/engine', (s) => /\/(app|domain|store|config)\//.test(s) || /^\.\.\/\.\.\/(app|domain|store|config)/.test(s))).toEqual([]);
  });

  it('src/domain does no I/O: no node: modules, sockets, srf, redis or the engine', () => {
    expect(violations('src/domain', (s) => s.startsWith('node:') || /^(fs|net|dgram|http|child_process|drachtio-srf|ioredis)$/.test(s) || s.includes('/engine/') || s.includes('/store/'))).toEqual([]);
  });

  it('src/media imports nothing of app, domain or store (it may reuse the engine)', () => {
    expect(violations('src/media', (s) => /\/(app|domain|store)\//.test(s) || /^\.\.\/(\.\.\/)?(app|domain|store)(\/|$)/.test(s))).toEqual([]);
  });

  it('src/sip, the SIP grammar engine and app share, depends on nothing but itself (and node:crypto for ids)', () => {
    expect(violations('src/sip', (s) => !s.startsWith('./') && s !== 'node:crypto')).toEqual([]);
  });

  it('src/engine/core uses the proxy only through its ProxyService interface: it imports nothing of src/engine/proxy', () => {
    expect(violations('src/engine/core', (s) => /(^|\/)proxy\//.test(s))).toEqual([]);
    const core = readFileSync('src/engine/core/contexts.ts', 'utf8');
    expect(core).toMatch(/\n  readonly proxy: ProxyService;/);
  });

  it('src/app reaches the engine only through drachtio-srf', () => {
    expect(violations('src/app', (s) => s.includes('/engine/'))).toEqual([]);
  });
});

// Issue 16: the engine core's state lives in tables that own their indexes; nothing else writes them.
describe('engine core tables own their indexes', () => {
  const OWNING_TABLES = ['src/engine/transaction/transaction-table.ts', 'src/engine/core/pending-requests.ts', 'src/engine/dialog/dialog-table.ts'];

  it('the Core interface exposes no Map or Set', () => {
    const text = readFileSync('src/engine/core/contexts.ts', 'utf8');
    const core = /export interface Core \{([\s\S]*?)\n\}/.exec(text)?.[1];
    expect(core).toBeDefined();
    expect(core!.split('\n').filter((l) => /\b(Readonly)?(Map|Set|WeakMap)</.test(l))).toEqual([]);
  });

  it('every Map of an owning table is private', () => {
    const exposed = OWNING_TABLES.flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .filter((l) => /new Map</.test(l) && !/^\s*private readonly \w+ = new Map</.test(l))
        .map((l) => `${f}: ${l.trim()}`),
    );
    expect(exposed).toEqual([]);
  });

  it('no engine file writes into a member of the core (core.x.set/delete/clear)', () => {
    const writes = sources('src/engine').flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(/\bcore\.(\w+)\.(set|delete|clear)\(/g)].map((m) => `${relative(process.cwd(), f)}: core.${m[1]}.${m[2]}(`),
    );
    expect(writes).toEqual([]);
  });

  it('the engine keeps no Map of transactions or pending requests outside the owning tables', () => {
    const maps = sources('src/engine')
      .filter((f) => !OWNING_TABLES.includes(relative(process.cwd(), f)))
      .flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .filter((l) => /Map<string, (ServerTransaction|ClientTransaction|IncomingRequest|OutgoingRequest|Dialog)>/.test(l))
          .map((l) => `${relative(process.cwd(), f)}: ${l.trim()}`),
      );
    expect(maps).toEqual([]);
  });
});

// Issue 16: dialogs, transactions, reliable provisionals and session timers change state only through their own guarded transition.
describe('engine state machines', () => {
  it("no engine file assigns another object's state (x.state = ..., x.phase = ...): only a machine's own transition does", () => {
    const writes = sources('src/engine').flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .filter((l) => /\b(?!this\b)\w+\.(state|current|phase)\s*=[^=]/.test(l))
        .map((l) => `${relative(process.cwd(), f)}: ${l.trim()}`),
    );
    expect(writes).toEqual([]);
  });

  it('transactions and dialogs keep their state private, behind a read-only getter', () => {
    for (const f of ['src/engine/transaction/server-transaction.ts', 'src/engine/transaction/client-transaction.ts', 'src/engine/dialog/dialog.ts']) {
      const text = readFileSync(f, 'utf8');
      expect(text, f).toMatch(/\n  private current = |\n  private current: /);
      expect(text, f).toMatch(/\n  get state\(\): \w+State \{/);
      expect(text, f).not.toMatch(/\n  (public )?state[:=! ]/);
      expect(text.match(/\n  private transition\(/g), f).toHaveLength(1);
    }
  });

  it('proxy branches and contexts keep one private state, no phase string or state flags, changed by one transition', () => {
    for (const f of ['src/engine/proxy/proxy-branch.ts', 'src/engine/proxy/proxy-context.ts']) {
      const text = readFileSync(f, 'utf8');
      expect(text, f).toMatch(/\n  private current = /);
      expect(text, f).toMatch(/\n  get state\(\): Proxy\w+State \{/);
      expect(text, f).not.toMatch(/\bphase\b/);
      expect(text, f).not.toMatch(/\n  (private )?(settled|quiet|cancelWanted|cancelSent|got2xx|decided|cancelled|doneSent|finished)\s*=/);
      expect(text.match(/\n  private transition\(/g), f).toHaveLength(1);
    }
  });
});

// Issue 16: a dialog's state changes only through its own intent-named methods.
describe('Dialog encapsulation', () => {
  const DIALOG = 'src/engine/dialog/dialog.ts';
  const FIELDS = [
    'remoteTag',
    'localParty',
    'remoteParty',
    'localContact',
    'remoteTarget',
    'routeSet',
    'localSeq',
    'remoteSeq',
    'inviteSeq',
    'inviteStatus',
    'ackRaw',
    'ackHop',
    'cancelled',
    'ackWait',
    'reliable',
    'sessionTimer',
    'localBody',
    'subscription',
    'owner',
    'peer',
  ];
  const classBody = (): string => {
    const text = readFileSync(DIALOG, 'utf8');
    const body = /\nexport class Dialog \{\n([\s\S]*?)\n\}\n/.exec(text)?.[1];
    expect(body).toBeDefined();
    return body!;
  };

  it('no engine file but dialog.ts assigns a Dialog field (d.field = …, ++, +=, ??=)', () => {
    const names = FIELDS.join('|');
    const write = new RegExp(`\\b(?!this\\b)\\w+(\\?)?\\.(${names})\\s*(=(?!=)|\\+\\+|--|[-+*/?|&]{1,2}=)|(\\+\\+|--)\\s*\\w+\\.(${names})\\b`);
    const writes = sources('src/engine')
      .filter((f) => relative(process.cwd(), f) !== DIALOG)
      .flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .filter((l) => write.test(l))
          .map((l) => `${relative(process.cwd(), f)}: ${l.trim()}`),
      );
    expect(writes).toEqual([]);
  });

  it('the assignment check catches the writes it is meant to catch', () => {
    const write = /\b(?!this\b)\w+(\?)?\.(remoteTarget|localSeq)\s*(=(?!=)|\+\+|--|[-+*/?|&]{1,2}=)|(\+\+|--)\s*\w+\.(localSeq)\b/;
    expect(['d.remoteTarget = x;', 'dialog.localSeq++;', '++d.localSeq;', 'd.localSeq += 1;', 'd.remoteTarget ??= x;'].filter((l) => !write.test(l))).toEqual([]);
    expect(['if (d.remoteTarget === x)', 'this.remoteTarget = x;', 'const s = d.localSeq;'].filter((l) => write.test(l))).toEqual([]);
  });

  it('Dialog declares no public mutable field: its own fields are private or readonly, constructor properties readonly', () => {
    const members = classBody()
      .split('\n')
      .filter((l) => /^  (?!\/|\*| \*)\S/.test(l));
    const mutable = members.filter((l) => /^  (public\s+)?(?!private\b|protected\b|readonly\b|get\b|set\b|static\b|constructor\b)\w+[!?]?\s*[:=]/.test(l));
    expect(mutable).toEqual([]);
    const ctor = /\n  constructor\(([\s\S]*?)\n  \)/.exec(classBody())?.[1] ?? '';
    const params = ctor.split('\n').filter((l) => /^\s+(public\s+)?\w+\??:/.test(l) && /^\s+public\b/.test(l));
    expect(params).toEqual([]);
  });
});

// Issue 16: the engine core's two directions live apart; what they share stays in core/.
describe('engine core directions', () => {
  const CORE = 'src/engine/core';
  const resolved = (file: string, spec: string): string => relative(process.cwd(), join(dirname(file), spec));
  const reaches = (from: string, into: string): string[] => violations(`${CORE}/${from}`, (s, f) => s.startsWith('.') && resolved(f, s).startsWith(`${CORE}/${into}/`));

  it('core/incoming imports nothing of core/outgoing', () => {
    expect(reaches('incoming', 'outgoing')).toEqual([]);
  });

  it('core/outgoing imports nothing of core/incoming', () => {
    expect(reaches('outgoing', 'incoming')).toEqual([]);
  });

  it('of the shared core files only the two dispatchers (app-commands, app-gone) reach into a direction', () => {
    const DISPATCHERS = [`${CORE}/app-commands.ts`, `${CORE}/app-gone.ts`];
    const shared = readdirSync(CORE)
      .filter((n) => n.endsWith('.ts'))
      .map((n) => `${CORE}/${n}`)
      .filter((f) => !DISPATCHERS.includes(f));
    const reaching = shared.flatMap((f) =>
      importsOf(f)
        .filter((s) => /^\.\/(incoming|outgoing)\//.test(s))
        .map((s) => `${f} imports ${s}`),
    );
    expect(reaching).toEqual([]);
  });

  it('the direction check sees a cross import when there is one', () => {
    expect(resolved(`${CORE}/incoming/x.ts`, '../outgoing/app-ack.js').startsWith(`${CORE}/outgoing/`)).toBe(true);
    expect(resolved(`${CORE}/incoming/x.ts`, '../message-factory.js').startsWith(`${CORE}/outgoing/`)).toBe(false);
  });
});

// Issue 16, application side: call services are handed over at start-up; call legs are explicit machines.
describe('application call handling', () => {
  it('services are not looked up by context: no WeakMap keyed by the app context anywhere in src, no callServices(ctx) anywhere', () => {
    const lookups = ['src', 'test']
      .flatMap((d) => sources(d))
      .filter((f) => !f.endsWith('architecture.test.ts'))
      .flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .filter((l) => /\bcallServices\(/.test(l) || (f.startsWith('src') && /WeakMap<AppContext\b/.test(l)))
          .map((l) => `${relative(process.cwd(), f)}: ${l.trim()}`),
      );
    expect(lookups).toEqual([]);
  });

  it('the call legs keep their state private behind a read-only getter, with one guarded transition each', () => {
    for (const f of ['src/app/calls/caller-leg.ts', 'src/app/calls/uac-leg.ts', 'src/app/media/transfer-party.ts', 'src/app/media/anchored-party.ts']) {
      const text = readFileSync(f, 'utf8');
      expect(text, f).toMatch(/\n  private current: \w+State = /);
      expect(text, f).toMatch(/\n  get state\(\): \w+State \{/);
      expect(text.match(/\n  (private )?transition\(to: \w+State\): void \{/g), f).toHaveLength(1);
      expect(text, f).toMatch(/throw new IllegalLegTransition\(/);
    }
  });

  it("no app file assigns a leg's state (x.state = ...): only the leg's own transition does", () => {
    const writes = sources('src/app').flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .filter((l) => /\b(?!this\b)\w+\.(state|current)\s*=[^=]/.test(l))
        .map((l) => `${relative(process.cwd(), f)}: ${l.trim()}`),
    );
    expect(writes).toEqual([]);
  });
});
