import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * How to start a worker whose entry is `workerUrl` (a .ts file when run from sources with tsx):
 * from TypeScript the worker first registers tsx's loader, then imports its entry; a failed
 * import exits the process (status 70) with `label` in the message.
 */
export function workerEntry(workerUrl: URL, label: string): { code: URL | string; evalCode: boolean } {
  if (!workerUrl.pathname.endsWith('.ts')) return { code: workerUrl, evalCode: false };
  const tsxApi = tsxEsmApiUrl();
  const code =
    `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(workerUrl.href)}); })` +
    `.catch((err) => { process.stderr.write(${JSON.stringify(`${label}: `)} + (err && err.stack || err) + '\\n'); process.exit(70); });`;
  return { code, evalCode: true };
}

/** Which sibling file a worker entry is, from the caller's own URL (.ts from sources, .js built). */
export function siblingWorker(callerUrl: string, name: string): URL {
  return new URL(callerUrl.endsWith('.ts') ? `./${name}.ts` : `./${name}.js`, callerUrl);
}

/** tsx's ESM register API, found through its package exports (vitest has no import.meta.resolve). */
function tsxEsmApiUrl(): string {
  const pkgFile = createRequire(import.meta.url).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return pathToFileURL(join(dirname(pkgFile), pkg.exports['./esm/api']!.import.default)).href;
}
