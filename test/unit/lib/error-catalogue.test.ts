import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERRORS, errorMessage, type ErrorSpec } from '../../../src/lib/errors.js';
import { hasReasonPhrase } from '../../../src/sip/index.js';
import { DialPatternError } from '../../../src/domain/errors.js';
import { AdminError } from '../../../src/ops/admin/errors.js';
import { LocationStoreError } from '../../../src/store/location-store.js';
import { RegistrarError } from '../../../src/app/registrar/errors.js';

const entries = Object.entries(ERRORS) as [string, ErrorSpec][];

describe('the error catalogue', () => {
  it('lists every code once per error class, and every upper-case code once in all', () => {
    const perClass = entries.map(([, e]) => `${e.owner}:${e.code}`);
    expect(new Set(perClass).size).toBe(perClass.length);
    const upper = entries.filter(([, e]) => /^[A-Z][A-Z0-9_]*$/.test(e.code));
    expect(new Set(upper.map(([, e]) => e.code)).size).toBe(upper.length);
    for (const [key, e] of upper) expect(e.code, key).toBe(key);
  });

  it('keeps the lower-case codes only where they were published: admin API bodies and the location store', () => {
    const lower = new Set(entries.filter(([, e]) => !/^[A-Z][A-Z0-9_]*$/.test(e.code)).map(([, e]) => e.owner));
    expect([...lower].sort()).toEqual(['AdminError', 'LocationStoreError']);
  });

  it('every SIP status has a reason phrase in the shared table, every HTTP status is an error status', () => {
    for (const [key, e] of entries) {
      if (e.sipStatus !== undefined) expect(hasReasonPhrase(e.sipStatus), `${key} ${e.sipStatus}`).toBe(true);
      if (e.httpStatus !== undefined) expect(e.httpStatus >= 400 && e.httpStatus < 600, key).toBe(true);
    }
  });

  it('fills message templates, leaving unknown fields as written', () => {
    expect(errorMessage('DRAIN_ILLEGAL_TRANSITION', { from: 'stopping', to: 'serving' })).toBe('cannot go from stopping to serving');
    expect(errorMessage('DRAIN_ILLEGAL_TRANSITION', { from: '{to}' })).toBe('cannot go from {to} to {to}');
  });

  it("error classes carry the catalogue's code, status and message", () => {
    const dial = new DialPatternError('9[2', 1, 'unclosed [');
    expect(dial).toMatchObject({ code: 'DIAL_PATTERN_INVALID', message: 'dial string "9[2": unclosed [ (at character 2)' });
    expect(new AdminError('rate-limited', 'slow down', 3)).toMatchObject({ code: 'rate-limited', status: 429, message: 'slow down', retryAfter: 3 });
    expect(new LocationStoreError('down', 'unavailable')).toMatchObject({ code: 'unavailable', message: 'down' });
    expect(new RegistrarError(503, 'Location Service Unavailable')).toMatchObject({ code: 'REGISTRAR_STORE_UNAVAILABLE', status: 503, message: '503 Location Service Unavailable' });
    expect(new RegistrarError(500, 'Location Service Busy').code).toBe('REGISTRAR_STORE_BUSY');
  });
});

// Every typed error of src takes its code from the catalogue.
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/**
 * Classes in directories other sessions are reshaping right now; they keep their codes as literals
 * until then (TODO: make them take code and message from the catalogue), and the test checks those
 * literals are catalogued under the class.
 */

interface ErrorClass {
  name: string;
  base: string;
  abstract: boolean;
  file: string;
}

function errorClasses(): ErrorClass[] {
  const all: ErrorClass[] = [];
  for (const f of sources('src')) {
    for (const m of readFileSync(f, 'utf8').matchAll(/^(?:export )?(abstract )?class (\w+) extends (\w+)/gm)) {
      all.push({ name: m[2]!, base: m[3]!, abstract: m[1] !== undefined, file: relative(process.cwd(), f) });
    }
  }
  const errors = new Set(['Error']);
  for (let grew = true; grew;) {
    grew = false;
    for (const c of all) {
      if (errors.has(c.base) && !errors.has(c.name)) {
        errors.add(c.name);
        grew = true;
      }
    }
  }
  return all.filter((c) => errors.has(c.base));
}

describe('typed errors of src', () => {
  const classes = errorClasses();
  const owners = new Set(entries.map(([, e]) => e.owner));

  it('finds the error classes (the scan works)', () => {
    expect(classes.map((c) => c.name)).toEqual(expect.arrayContaining(['DialPatternError', 'AdminError', 'ConfigRejected', 'FrameError', 'CallError']));
  });

  it("every concrete error class has its codes in the catalogue (or inherits a catalogued class's)", () => {
    const byName = new Map(classes.map((c) => [c.name, c]));
    const catalogued = (c: ErrorClass | undefined): boolean => c !== undefined && (owners.has(c.name) || catalogued(byName.get(c.base)));
    expect(classes.filter((c) => !c.abstract && !catalogued(c)).map((c) => `${c.file}: ${c.name}`)).toEqual([]);
  });

  it('every file declaring an error class takes codes from src/lib/errors.ts, no code is a literal there', () => {
    const offenders = classes
      .filter((c) => !c.abstract && owners.has(c.name))
      .flatMap((c) => {
        const text = readFileSync(c.file, 'utf8');
        const problems: string[] = [];
        if (!/from '(\.\.\/)+lib\/errors\.js'/.test(text)) problems.push(`${c.file}: ${c.name} does not import the catalogue`);
        for (const m of text.matchAll(/readonly code = '([^']+)'/g)) problems.push(`${c.file}: literal code ${m[1]}`);
        return problems;
      });
    expect(offenders).toEqual([]);
  });
});
