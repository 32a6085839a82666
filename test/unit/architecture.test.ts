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

  it('src/app reaches the engine only through drachtio-srf', () => {
    expect(violations('src/app', (s) => s.includes('/engine/'))).toEqual([]);
  });
});
