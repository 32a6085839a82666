import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
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
  return sources(dir).flatMap((f) => importsOf(f).filter((s) => forbidden(s, f)).map((s) => `${relative(process.cwd(), f)} imports ${s}`));
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
      readFileSync(f, 'utf8').split('\n').filter((l) => /new Map</.test(l) && !/^\s*private readonly \w+ = new Map</.test(l)).map((l) => `${f}: ${l.trim()}`),
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
      .flatMap((f) => readFileSync(f, 'utf8').split('\n').filter((l) => /Map<string, (ServerTransaction|ClientTransaction|IncomingRequest|OutgoingRequest|Dialog)>/.test(l)).map((l) => `${relative(process.cwd(), f)}: ${l.trim()}`));
    expect(maps).toEqual([]);
  });
});

// Issue 16: dialogs, transactions, reliable provisionals and session timers change state only through their own guarded transition.
describe('engine state machines', () => {
  it('no engine file assigns another object\'s state (x.state = ...): only a machine\'s own transition does', () => {
    const writes = sources('src/engine').flatMap((f) =>
      readFileSync(f, 'utf8').split('\n').filter((l) => /\b(?!this\b)\w+\.(state|current)\s*=[^=]/.test(l)).map((l) => `${relative(process.cwd(), f)}: ${l.trim()}`),
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
});

// Issue 16, application side: call services are handed over at start-up; call legs are explicit machines.
describe('application call handling', () => {
  it('call services are not looked up by context: no WeakMap keyed by the app context in src/app/calls, no callServices(ctx) anywhere', () => {
    const lookups = ['src', 'test'].flatMap((d) => sources(d)).filter((f) => !f.endsWith('architecture.test.ts')).flatMap((f) =>
      readFileSync(f, 'utf8').split('\n')
        .filter((l) => /\bcallServices\(/.test(l) || (f.startsWith(join('src', 'app', 'calls')) && /WeakMap<AppContext\b/.test(l)))
        .map((l) => `${relative(process.cwd(), f)}: ${l.trim()}`),
    );
    expect(lookups).toEqual([]);
  });

  it('the call legs keep their state private behind a read-only getter, with one guarded transition each', () => {
    for (const f of ['src/app/calls/caller-leg.ts', 'src/app/calls/uac-leg.ts']) {
      const text = readFileSync(f, 'utf8');
      expect(text, f).toMatch(/\n  private current: \w+State = /);
      expect(text, f).toMatch(/\n  get state\(\): \w+State \{/);
      expect(text.match(/\n  transition\(to: \w+State\): void \{/g), f).toHaveLength(1);
      expect(text, f).toMatch(/throw new IllegalLegTransition\(/);
    }
  });

  it('no app file assigns a leg\'s state (x.state = ...): only the leg\'s own transition does', () => {
    const writes = sources('src/app/calls').flatMap((f) =>
      readFileSync(f, 'utf8').split('\n').filter((l) => /\b(?!this\b)\w+\.(state|current)\s*=[^=]/.test(l)).map((l) => `${relative(process.cwd(), f)}: ${l.trim()}`),
    );
    expect(writes).toEqual([]);
  });
});
