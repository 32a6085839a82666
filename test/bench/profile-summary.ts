// Top functions by self time in a V8 .cpuprofile (node --cpu-prof).
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

export function topFunctions(file: string, n = 15): Array<{ fn: string; selfPct: number }> {
  const prof = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[] };
  const byFn = new Map<string, number>();
  let total = 0;
  for (const node of prof.nodes) {
    const hits = node.hitCount ?? 0;
    total += hits;
    const url = node.callFrame.url.replace(/^.*\/(node_modules\/|src\/)/, '$1');
    const key = `${node.callFrame.functionName || '(anonymous)'} ${url ? `${url}:${node.callFrame.lineNumber + 1}` : ''}`.trim();
    byFn.set(key, (byFn.get(key) ?? 0) + hits);
  }
  return [...byFn.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([fn, hits]) => ({ fn, selfPct: Math.round((1000 * hits) / Math.max(1, total)) / 10 }));
}
