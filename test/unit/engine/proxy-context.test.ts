import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProxyBranchState, TIMER_C_MS } from '../../../src/engine/proxy/proxy-branch.js';
import type { ProxyCommand } from '../../../src/engine/proxy/proxy-command.js';
import { ProxyContext, ProxyContextState } from '../../../src/engine/proxy/proxy-context.js';
import { ServerTransaction } from '../../../src/engine/transaction/server-transaction.js';
import { IllegalTransitionError } from '../../../src/engine/transaction/transition-error.js';
import type { AppConnection } from '../../../src/engine/wire/app-connection.js';
import { answer, fakeCore, incoming, wire, type FakeCore } from './proxy-fixtures.js';
import { TIMERS } from './transaction-fixtures.js';

const BOB = 'sip:bob@127.16.0.2:5070';
const CAROL = 'sip:carol@127.16.0.3:5070';
const S = ProxyContextState;
const CALLER = { transport: 'udp' as const, address: '127.16.0.9', port: 5060 };

type Options = Partial<Omit<ProxyCommand, 'txnId'>>;

function context(o: Options = {}) {
  const core = fakeCore();
  const frames: string[] = [];
  const conn = { id: 'app-1', send: (f: string) => void frames.push(f) } as Pick<AppConnection, 'id' | 'send'> as AppConnection;
  const req = incoming();
  const tx = new ServerTransaction('invite-1', req, Buffer.alloc(0), CALLER, core.sender, TIMERS, core.gauges.transactions, () => undefined);
  tx.proxied();
  const cmd: ProxyCommand = {
    txnId: 't-1',
    remainInDialog: false,
    fullResponse: true,
    followRedirects: false,
    simultaneous: true,
    provisionalTimeoutMs: undefined,
    finalTimeoutMs: undefined,
    destinations: [BOB, CAROL],
    ...o,
  };
  const finished: ProxyContext[] = [];
  const ctx = new ProxyContext({
    core,
    conn,
    rid: 'rid-1',
    cmd,
    tx,
    vias: req.getHeaderValues('Via'),
    setup: { base: req, replaceUri: true, recordRoute: false, loopHash: '0badcafe', provisionalTimeoutMs: cmd.provisionalTimeoutMs, finalTimeoutMs: cmd.finalTimeoutMs },
    onFinished: (c) => void finished.push(c),
  });
  return { core, ctx, tx, frames, finished };
}

async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

async function started(o: Options = {}) {
  const x = context(o);
  x.ctx.start();
  await flush();
  return x;
}

/** Status lines (or request lines) that went to the caller, retransmissions removed. */
function upstream(core: FakeCore): string[] {
  const texts = core.sender.sent.filter((s) => s.hop.address === CALLER.address).map((s) => s.text);
  return [...new Set(texts)].map((t) => t.slice(0, t.indexOf('\r\n')));
}

function upstreamMessages(core: FakeCore): string[] {
  return core.sender.sent.filter((s) => s.hop.address === CALLER.address).map((s) => s.text);
}

const toward = (core: FakeCore, method: string): string[] => wire(core).filter((l) => l.startsWith(`${method} `));

/** `continue 486` / `done` for each wire frame to the app. */
const kinds = (frames: string[]): string[] => frames.map((f) => (f.endsWith('|done') ? 'done' : `continue ${/continue\r\nSIP\/2\.0 (\d+)/.exec(f)?.[1] ?? '?'}`));

describe('proxy context: Idle and Forking', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('Idle until started; parallel forking then sends to every target at once and counts one context', async () => {
    const x = context();
    expect(x.ctx.state).toBe(S.Idle);
    x.ctx.start();
    await flush();
    expect(x.ctx.state).toBe(S.Forking);
    expect(toward(x.core, 'INVITE')).toEqual([`INVITE ${BOB} SIP/2.0`, `INVITE ${CAROL} SIP/2.0`]);
    expect(x.core.gauges.proxyContexts.value).toBe(1);
  });

  it('serial forking: the next target is tried only once the current branch has a final response', async () => {
    const x = await started({ simultaneous: false });
    expect(toward(x.core, 'INVITE')).toEqual([`INVITE ${BOB} SIP/2.0`]);
    expect(x.ctx.branches.map((b) => b.state)).toEqual([ProxyBranchState.Calling, ProxyBranchState.Waiting]);
    answer(x.core, BOB, 486);
    await flush();
    expect(toward(x.core, 'INVITE')).toEqual([`INVITE ${BOB} SIP/2.0`, `INVITE ${CAROL} SIP/2.0`]);
    expect(upstream(x.core)).toEqual([]);
  });

  it('§16.7 step 5: a provisional other than 100 MUST be forwarded immediately, without our Via (step 9); a 100 is not', async () => {
    const x = await started();
    answer(x.core, BOB, 100);
    expect(upstream(x.core)).toEqual([]);
    answer(x.core, BOB, 180);
    expect(upstream(x.core)).toEqual(['SIP/2.0 180 Whatever']);
    const ringing = upstreamMessages(x.core)[0]!;
    expect(ringing.match(/^Via: /gm)).toHaveLength(1);
    expect(ringing).toMatch(/^Via: SIP\/2.0\/UDP 127.16.0.9:5060;branch=z9hG4bK-caller-1/m);
  });

  it('§16.7 step 6: non-2xx finals are held until every branch completed, then the best one goes upstream', async () => {
    const x = await started();
    answer(x.core, BOB, 503);
    expect(upstream(x.core)).toEqual([]);
    expect(x.ctx.state).toBe(S.Forking);
    answer(x.core, CAROL, 486);
    expect(upstream(x.core)).toEqual(['SIP/2.0 486 Whatever']);
    expect(x.ctx.state).toBe(S.Terminated);
  });

  it('§16.7 step 6: a 401/407-class 4xx is preferred over other 4xx', async () => {
    const x = await started();
    answer(x.core, BOB, 404);
    answer(x.core, CAROL, 407);
    expect(upstream(x.core)).toEqual(['SIP/2.0 407 Whatever']);
  });

  it('no branch could be started at all: the local outcome (503) goes upstream', async () => {
    const x = await started({ destinations: ['sip:bob@nowhere.invalid'] });
    expect(upstream(x.core)).toEqual(['SIP/2.0 503 Service Unavailable']);
    expect(x.ctx.state).toBe(S.Terminated);
    expect(kinds(x.frames)).toEqual(['continue 503', 'done']);
  });

  it('§16.5 / §16.7 step 4: with followRedirects the Contacts of a 3xx become new branches and the 3xx is not forwarded', async () => {
    const x = await started({ destinations: [BOB], followRedirects: true });
    answer(x.core, BOB, 302, `Contact: <${CAROL}>\r\n`);
    await flush();
    expect(toward(x.core, 'INVITE')).toEqual([`INVITE ${BOB} SIP/2.0`, `INVITE ${CAROL} SIP/2.0`]);
    answer(x.core, CAROL, 200);
    expect(upstream(x.core)).toEqual(['SIP/2.0 200 Whatever']);
  });
});

describe('proxy context: Completed', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('§16.7 step 5: a 2xx is forwarded immediately, and step 10: the other pending branches are cancelled', async () => {
    const x = await started();
    answer(x.core, CAROL, 180);
    answer(x.core, BOB, 200);
    expect(x.ctx.state).toBe(S.Completed);
    expect(upstream(x.core)).toEqual(['SIP/2.0 180 Whatever', 'SIP/2.0 200 Whatever']);
    expect(toward(x.core, 'CANCEL')).toEqual([`CANCEL ${CAROL} SIP/2.0`]);
  });

  it('§16.7 step 5: a 2xx from another branch after the first goes upstream too', async () => {
    const x = await started();
    answer(x.core, BOB, 200);
    answer(x.core, CAROL, 200);
    expect(upstream(x.core)).toEqual(['SIP/2.0 200 Whatever', 'SIP/2.0 200 Whatever']);
    expect(upstreamMessages(x.core)).toHaveLength(2);
    expect(upstreamMessages(x.core)[1]).toMatch(/To: <sip:service@127.16.0.1>;tag=callee-\d+/);
  });

  it('§16.7 step 10: a 6xx cancels all other pending branches and is forwarded at once', async () => {
    const x = await started();
    answer(x.core, CAROL, 180);
    answer(x.core, BOB, 603);
    expect(upstream(x.core)).toEqual(['SIP/2.0 180 Whatever', 'SIP/2.0 603 Whatever']);
    expect(toward(x.core, 'CANCEL')).toEqual([`CANCEL ${CAROL} SIP/2.0`]);
    expect(x.ctx.state).toBe(S.Completed);
  });

  it('provisionals of other branches are no longer forwarded once a final went upstream', async () => {
    const x = await started();
    answer(x.core, BOB, 200);
    answer(x.core, CAROL, 183);
    expect(upstream(x.core)).toEqual(['SIP/2.0 200 Whatever']);
  });

  it('§16.8 / §16.6 step 11: Timer C fires → the branch is cancelled and, with no other final, 408 goes upstream', async () => {
    const x = await started({ destinations: [BOB] });
    answer(x.core, BOB, 180);
    vi.advanceTimersByTime(TIMER_C_MS);
    expect(toward(x.core, 'CANCEL')).toEqual([`CANCEL ${BOB} SIP/2.0`]);
    expect(upstream(x.core)).toEqual(['SIP/2.0 180 Whatever', 'SIP/2.0 408 Request Timeout']);
    expect(x.ctx.state).toBe(S.Completed);
    answer(x.core, BOB, 487);
    expect(upstream(x.core)).toHaveLength(2); // the 487 answering our CANCEL is not forwarded
    expect(x.ctx.state).toBe(S.Terminated);
  });

  it('a finalTimeout on a serial branch: the branch is cancelled and the next target tried', async () => {
    const x = await started({ simultaneous: false, finalTimeoutMs: 3000 });
    answer(x.core, BOB, 180);
    vi.advanceTimersByTime(3000);
    await flush();
    expect(toward(x.core, 'CANCEL')).toEqual([`CANCEL ${BOB} SIP/2.0`]);
    expect(toward(x.core, 'INVITE')).toEqual([`INVITE ${BOB} SIP/2.0`, `INVITE ${CAROL} SIP/2.0`]);
    answer(x.core, CAROL, 200);
    expect(upstream(x.core)).toEqual(['SIP/2.0 180 Whatever', 'SIP/2.0 200 Whatever']);
  });

  it('a caller CANCEL after the final response changes nothing (§16.10: the final was already sent)', async () => {
    const x = await started();
    answer(x.core, BOB, 200);
    x.ctx.cancel();
    expect(x.ctx.state).toBe(S.Completed);
    expect(upstream(x.core)).toEqual(['SIP/2.0 200 Whatever']);
  });
});

describe('proxy context: Cancelled', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("§16.10: the caller's CANCEL → 487 upstream and every pending branch cancelled, a CANCEL only where a provisional came (§9.1)", async () => {
    const x = await started();
    answer(x.core, BOB, 180);
    x.ctx.cancel();
    expect(x.ctx.state).toBe(S.Cancelled);
    expect(upstream(x.core)).toEqual(['SIP/2.0 180 Whatever', 'SIP/2.0 487 Request Terminated']);
    expect(toward(x.core, 'CANCEL')).toEqual([`CANCEL ${BOB} SIP/2.0`]);
    answer(x.core, CAROL, 180);
    expect(toward(x.core, 'CANCEL')).toEqual([`CANCEL ${BOB} SIP/2.0`, `CANCEL ${CAROL} SIP/2.0`]);
    expect(upstream(x.core)).toHaveLength(2);
  });

  it("the branches' finals after a CANCEL go to the app as continue frames once all ended, then done; the context ends", async () => {
    const x = await started();
    answer(x.core, BOB, 180);
    answer(x.core, CAROL, 180);
    x.ctx.cancel();
    answer(x.core, BOB, 487);
    expect(kinds(x.frames)).toEqual([]);
    answer(x.core, CAROL, 487);
    expect(kinds(x.frames)).toEqual(['continue 487', 'continue 487', 'done']);
    expect(x.ctx.state).toBe(S.Terminated);
    expect(x.finished).toEqual([x.ctx]);
  });

  it('a serial branch not started yet is never started after a CANCEL', async () => {
    const x = await started({ simultaneous: false });
    answer(x.core, BOB, 180);
    x.ctx.cancel();
    answer(x.core, BOB, 487);
    await flush();
    expect(toward(x.core, 'INVITE')).toEqual([`INVITE ${BOB} SIP/2.0`]);
    expect(x.ctx.state).toBe(S.Terminated);
  });
});

describe('proxy context: frames to the app and Terminated', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('fullResponse (protocol §7.3): one continue per final received, the forwarded one last, then done', async () => {
    const x = await started({ simultaneous: false });
    answer(x.core, BOB, 486);
    await flush();
    answer(x.core, CAROL, 404);
    expect(upstream(x.core)).toEqual(['SIP/2.0 486 Whatever']);
    expect(kinds(x.frames)).toEqual(['continue 404', 'continue 486', 'done']);
  });

  it('without fullResponse, done goes at the start and no continue follows', async () => {
    const x = await started({ fullResponse: false });
    expect(kinds(x.frames)).toEqual(['done']);
    answer(x.core, BOB, 200);
    expect(kinds(x.frames)).toEqual(['done']);
  });

  it('Terminated once every branch is done: out of the table and the count back to zero', async () => {
    const x = await started();
    answer(x.core, CAROL, 180);
    answer(x.core, BOB, 200);
    expect(x.finished).toEqual([]);
    answer(x.core, CAROL, 487);
    expect(x.ctx.state).toBe(S.Terminated);
    expect(x.finished).toEqual([x.ctx]);
    expect(x.core.gauges.proxyContexts.value).toBe(0);
  });

  it('a 2xx retransmission after the context ended still goes upstream (§16.7 step 5)', async () => {
    const x = await started({ destinations: [BOB] });
    answer(x.core, BOB, 200);
    expect(x.ctx.state).toBe(S.Terminated);
    answer(x.core, BOB, 200);
    expect(upstreamMessages(x.core)).toHaveLength(2);
  });

  it('dispose (engine stop): branches dropped, nothing more upstream, the count back to zero', async () => {
    const x = await started();
    answer(x.core, BOB, 180);
    x.ctx.dispose();
    expect(x.ctx.state).toBe(S.Terminated);
    expect(x.ctx.branches.map((b) => b.state)).toEqual([ProxyBranchState.Terminated, ProxyBranchState.Terminated]);
    vi.advanceTimersByTime(TIMER_C_MS);
    expect(upstream(x.core)).toEqual(['SIP/2.0 180 Whatever']);
    expect(x.core.gauges.proxyContexts.value).toBe(0);
    expect(x.finished).toEqual([x.ctx]);
  });

  it('the transition function refuses a step the machine does not draw', async () => {
    const x = await started();
    const transition = (x.ctx as unknown as { transition(to: ProxyContextState): void }).transition.bind(x.ctx);
    expect(() => transition(S.Idle)).toThrow(IllegalTransitionError);
    answer(x.core, BOB, 200);
    expect(() => transition(S.Cancelled)).toThrow(/proxy context: no transition from completed to cancelled/);
  });
});
