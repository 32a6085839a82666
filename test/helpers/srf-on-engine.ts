import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type Srf from 'drachtio-srf';
import { gaugesSettled, startEngine, type EngineTestOptions, type Harness } from './engine-harness.js';

export type InviteHandler = (req: Srf.SrfRequest, res: Srf.SrfResponse) => void;

export interface SrfOnEngine {
  readonly h: Harness;
  readonly srf: Srf;
  /** the engine's SIP host:port */
  readonly target: string;
  onInvite: InviteHandler;
}

/**
 * One engine and one connected srf app for a test file, with the INVITE handler swappable per test
 * and every live-resource gauge checked back at zero after each test.
 */
export function srfOnEngine(opts: EngineTestOptions): SrfOnEngine {
  const state = { onInvite: ((_req, res) => res.send(480)) as InviteHandler } as { h: Harness; srf: Srf; target: string; onInvite: InviteHandler };
  beforeAll(async () => {
    state.h = await startEngine(opts);
    state.target = `${opts.host ?? '127.0.0.10'}:${state.h.sipPort}`;
    state.srf = await state.h.connectApp();
    state.srf.invite((req, res) => state.onInvite(req, res));
  });
  afterAll(async () => {
    await state.h.stop();
  });
  afterEach(async () => {
    expect(await gaugesSettled(state.h.engine)).toMatchObject({ transactions: 0, dialogs: 0, proxyContexts: 0, pendingAppRequests: 0 });
  });
  return state;
}
