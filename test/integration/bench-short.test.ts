import { describe, expect, it } from 'vitest';
import { runEngineScenarios } from '../bench/engine-scenarios.js';

// The load bench in short mode, so it cannot rot: every scenario runs, nothing fails at its low
// rates, and the engine's gauges are back to zero afterwards. No speed is asserted here.
describe('npm run bench -- --short (engine scenarios)', () => {
  it('runs B2BUA, proxy and OPTIONS scenarios and leaves no live state behind', async () => {
    const results = await runEngineScenarios({ short: true });
    expect(results.map((r) => r.mode)).toEqual(['b2bua', 'proxy', 'options']);
    for (const r of results) {
      expect(r.steps.length, r.mode).toBeGreaterThan(0);
      for (const s of r.steps) expect(s.failed, `${r.mode} at ${s.rate}/s`).toBe(0);
      expect(r.gaugesAfter, r.mode).toMatchObject({ transactions: 0, dialogs: 0, proxyContexts: 0, pendingAppRequests: 0 });
    }
  }, 90_000);
});
