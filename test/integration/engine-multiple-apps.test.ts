import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type Srf from 'drachtio-srf';
import { gaugesSettled, startEngine, type Harness } from '../helpers/engine-harness.js';
import { runSipp } from '../helpers/sipp.js';
import { UdpSipClient, headerOf, statusOf } from '../helpers/udp-client.js';

const ENGINE_IP = '127.0.0.8';
let h: Harness;
let client: UdpSipClient;

beforeAll(async () => {
  h = await startEngine({ host: ENGINE_IP, port: 5060 });
  client = await new UdpSipClient('127.0.0.30').open();
});

afterAll(async () => {
  client.close();
  await h.stop();
});

afterEach(async () => {
  expect(await gaugesSettled(h.engine)).toMatchObject({ transactions: 0, dialogs: 0, pendingAppRequests: 0 });
});

const target = (): { host: string; port: number } => ({ host: ENGINE_IP, port: h.sipPort });

function answerAs(srf: Srf, name: string): void {
  srf.use('options', (_req, res) => res.send(200, { headers: { 'X-App': name } }));
}

async function ask(): Promise<string | undefined> {
  client.send(client.options(target()), ENGINE_IP, h.sipPort);
  return client.next();
}

async function disconnect(srf: Srf, expectedApps: number): Promise<void> {
  srf.disconnect();
  for (let i = 0; i < 50 && h.engine.stats().appConnections !== expectedApps; i++) await new Promise((r) => setTimeout(r, 20));
}

describe('several applications connected at once', () => {
  it('a method no application routed is answered 503 by the engine', async () => {
    const lonely = await h.connectApp();
    const res = await ask();
    expect(statusOf(res)).toBe(503);
    await disconnect(lonely, 0);
  });

  it('applications that routed the same method share the incoming requests round robin', async () => {
    const a = await h.connectApp();
    const b = await h.connectApp();
    answerAs(a, 'A');
    answerAs(b, 'B');
    await new Promise((r) => setTimeout(r, 100));
    const seen: Record<string, number> = {};
    for (let i = 0; i < 10; i++) {
      const res = await ask();
      expect(statusOf(res)).toBe(200);
      const who = headerOf(res, 'X-App') ?? '?';
      seen[who] = (seen[who] ?? 0) + 1;
    }
    expect(seen).toEqual({ A: 5, B: 5 });

    // an application that disconnects loses its routes: everything goes to the other one
    await disconnect(a, 1);
    for (let i = 0; i < 4; i++) expect(headerOf(await ask(), 'X-App')).toBe('B');
    await disconnect(b, 0);
    expect(statusOf(await ask())).toBe(503);
  });

  it('an application that disconnects during a call: its dialogs end cleanly (the engine hangs up)', async () => {
    const app = await h.connectApp();
    let answered!: () => void;
    const up = new Promise<void>((r) => (answered = r));
    app.invite((req, res) => {
      app.createUAS(req, res, { localSdp: req.body }).then(
        () => answered(),
        () => undefined,
      );
    });
    const caller = runSipp({ scenario: 'engine/uac-wait-for-bye.xml', target: `${ENGINE_IP}:${h.sipPort}`, ip: '127.0.0.31', port: 5060, calls: 1 });
    await up;
    expect(h.engine.stats().dialogs).toBe(1);
    await disconnect(app, 0);
    const r = await caller.done;
    expect(r).toMatchObject({ code: 0, successful: 1, failed: 0 });
  });
});
