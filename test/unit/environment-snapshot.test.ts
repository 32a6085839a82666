import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { snapshotEnvironment } from '../../src/ops/environment-snapshot.js';

describe('environment snapshot (process entry)', () => {
  const real = process.env;
  afterEach(() => {
    process.env = real;
  });

  it('keeps every variable, as a plain object', () => {
    const before = { ...process.env };
    snapshotEnvironment();
    expect(process.env).not.toBe(real);
    expect(Object.getPrototypeOf(process.env)).toBe(Object.prototype);
    expect({ ...process.env }).toEqual(before);
  });

  it('a child process still inherits the variables, including one set after the snapshot', () => {
    snapshotEnvironment();
    process.env.SNAPSHOT_PROBE = 'seen-by-child';
    const out = execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.env.SNAPSHOT_PROBE) + " " + String(Boolean(process.env.PATH)))'], { encoding: 'utf8' });
    expect(out).toBe('seen-by-child true');
  });
});
