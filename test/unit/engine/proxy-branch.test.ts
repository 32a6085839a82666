import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProxyBranch, ProxyBranchState, TIMER_C_MS } from '../../../src/engine/proxy/proxy-branch.js';
import { IllegalTransitionError } from '../../../src/engine/transaction/transition-error.js';
import { answer, fakeCore, incoming, recordingOwner, sentRequests, wire } from './proxy-fixtures.js';
import { TIMERS } from './transaction-fixtures.js';

const BOB = 'sip:bob@127.16.0.2:5070';
const S = ProxyBranchState;
const SIXTY_FOUR_T1 = 64 * TIMERS.t1;

interface Options {
  target?: string;
  method?: string;
  provisionalTimeoutMs?: number;
  finalTimeoutMs?: number;
  recordRoute?: boolean;
  names?: Record<string, string | Promise<string>>;
}

function branch(o: Options = {}) {
  const core = fakeCore(o.names);
  const owner = recordingOwner();
  const target = o.target ?? BOB;
  const b = new ProxyBranch(
    target,
    {
      core,
      base: incoming(o.method),
      replaceUri: true,
      recordRoute: o.recordRoute ?? false,
      loopHash: '0badcafe',
      provisionalTimeoutMs: o.provisionalTimeoutMs,
      finalTimeoutMs: o.finalTimeoutMs,
    },
    owner,
  );
  return { core, owner, b, target };
}

/** Lets the destination lookup (a promise) run. */
async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

async function started(o: Options = {}) {
  const x = branch(o);
  x.b.start();
  await flush();
  return x;
}

async function proceeding(o: Options = {}) {
  const x = await started(o);
  answer(x.core, x.target, 180);
  x.owner.events.length = 0;
  return x;
}

const cancels = (core: ReturnType<typeof fakeCore>): string[] => wire(core).filter((l) => l.startsWith('CANCEL'));

describe('proxy branch: Waiting and Resolving', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('Waiting: nothing is sent before start; a cancel then ends the branch without any request (§16.10)', () => {
    const { b, core, owner } = branch();
    expect(b.state).toBe(S.Waiting);
    b.cancel();
    expect(b.state).toBe(S.Terminated);
    expect(core.sender.sent).toEqual([]);
    expect(owner.events).toEqual(['quiet']);
    b.start();
    expect(b.state).toBe(S.Terminated);
  });

  it('Resolving: a destination that does not resolve is a local 503 outcome and nothing is sent', async () => {
    const { b, core, owner } = await started({ target: 'sip:bob@nowhere.invalid' });
    expect(b.state).toBe(S.Terminated);
    expect(owner.events).toEqual(['final 503 (local)', 'quiet']);
    expect(core.sender.sent).toEqual([]);
  });

  it('Resolving: a tel: URI is not routable by the proxy → 503', async () => {
    const { b, owner } = await started({ target: 'tel:+15551234' });
    expect([b.state, owner.events[0]]).toEqual([S.Terminated, 'final 503 (local)']);
  });

  it('Resolving: cancelled while the name resolves → the request never leaves', async () => {
    let resolveName: (a: string) => void = () => undefined;
    const pending = new Promise<string>((r) => (resolveName = r));
    const { b, core, owner } = branch({ target: 'sip:bob@callee.test', names: { 'callee.test': pending } });
    b.start();
    expect(b.state).toBe(S.Resolving);
    expect(b.active).toBe(true);
    b.cancel();
    resolveName('127.16.0.2');
    await flush();
    expect(b.state).toBe(S.Terminated);
    expect(core.sender.sent).toEqual([]);
    expect(owner.events).toEqual(['quiet']);
  });
});

describe('proxy branch: Calling', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('§16.6 steps 6 and 8: the copy goes to the target with our Via on top (a proxy branch) and Max-Forwards kept from the base', async () => {
    const { b, core } = await started({ recordRoute: true });
    expect(b.state).toBe(S.Calling);
    expect(b.hop).toMatchObject({ transport: 'udp', address: '127.16.0.2', port: 5070 });
    const [req] = sentRequests(core, 'INVITE');
    expect(req?.uri).toBe(BOB);
    const vias = req!.getHeaderValues('Via');
    expect(vias[0]).toMatch(/^SIP\/2.0\/UDP 127.16.0.1:5060;branch=z9hG4bKPx0badcafe\.\S+;rport$/);
    expect(vias[1]).toMatch(/branch=z9hG4bK-caller-1/);
    // §16.6 step 4: Record-Route of the listen point it leaves from
    expect(req!.getHeaderValues('Record-Route')).toEqual(['<sip:127.16.0.1:5060;lr>']);
  });

  it('§9.1: CANCEL is not sent before a provisional response; the wanted CANCEL goes on the first one', async () => {
    const { b, core, owner, target } = await started();
    b.cancel();
    expect(b.state).toBe(S.CancelPending);
    expect(cancels(core)).toEqual([]);
    answer(core, target, 100);
    expect(b.state).toBe(S.Cancelling);
    const [cancel] = sentRequests(core, 'CANCEL');
    const [invite] = sentRequests(core, 'INVITE');
    // §9.1: the CANCEL's Request-URI, Call-ID, To, CSeq number and top Via equal the INVITE's
    expect(cancel?.uri).toBe(invite?.uri);
    expect(cancel?.getHeaderValues('Via')).toEqual([invite?.getHeaderValues('Via')[0]]);
    expect(cancel?.cseq).toEqual({ seq: invite?.cseq.seq, method: 'CANCEL' });
    expect(owner.events).toEqual([]); // a branch being cancelled reports no provisional
  });

  it('§16.7 step 1 / §17.1.1.2: no response at all → Timer B ends the transaction, a local 408 outcome', async () => {
    const { b, owner } = await started();
    vi.advanceTimersByTime(SIXTY_FOUR_T1);
    expect(b.state).toBe(S.Terminated);
    expect(owner.events).toEqual(['final 408 (local)', 'quiet']);
  });

  it('§16.6 step 11: Timer C is set when the INVITE leaves; an app final timeout before any provisional counts as 408 (§16.8), the CANCEL waits for a provisional (§9.1)', async () => {
    const { b, core, owner, target } = await started({ finalTimeoutMs: 2000 });
    vi.advanceTimersByTime(1999);
    expect(owner.events).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(b.state).toBe(S.ExpiredCancelPending);
    expect(owner.events).toEqual(['final 408 (local)']);
    expect(b.active).toBe(false);
    expect(cancels(core)).toEqual([]);
    answer(core, target, 180);
    expect(b.state).toBe(S.ExpiredCancelling);
    expect(cancels(core)).toHaveLength(1);
    expect(owner.events).toEqual(['final 408 (local)']);
  });

  it('provisional timeout: no provisional in time → 408 outcome, and a late provisional is answered by a CANCEL', async () => {
    const { b, core, owner, target } = await started({ provisionalTimeoutMs: 1000 });
    vi.advanceTimersByTime(1000);
    expect([b.state, owner.events]).toEqual([S.ExpiredCancelPending, ['final 408 (local)']]);
    answer(core, target, 183);
    expect(cancels(core)).toHaveLength(1);
    answer(core, target, 487);
    expect(b.state).toBe(S.Completed);
    expect(owner.events).toEqual(['final 408 (local)', 'quiet']); // the 487 is not a second outcome
  });

  it('the provisional timer stops at the first provisional', async () => {
    const { b, core, owner, target } = await started({ provisionalTimeoutMs: 1000 });
    answer(core, target, 100);
    vi.advanceTimersByTime(5000);
    expect([b.state, owner.events]).toEqual([S.Proceeding, ['provisional 100']]);
  });

  it('a transport failure while Calling is a local 503 outcome', async () => {
    const { b, core, owner } = branch();
    core.sender.failNext = true;
    b.start();
    await flush();
    expect(b.state).toBe(S.Terminated);
    expect(owner.events).toEqual(['final 503 (local)', 'quiet']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a final response in Calling is the outcome: Completed, Timer C cleared', async () => {
    const { b, core, owner, target } = await started();
    answer(core, target, 486);
    expect(b.state).toBe(S.Completed);
    expect(b.quiet).toBe(true);
    expect(owner.events).toEqual(['final 486', 'quiet']);
    vi.advanceTimersByTime(TIMER_C_MS);
    expect(owner.events).toEqual(['final 486', 'quiet']);
  });
});

describe('proxy branch: Proceeding', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('provisionals reach the proxy context', async () => {
    const { b, core, owner, target } = await started();
    answer(core, target, 180);
    answer(core, target, 183);
    expect(b.state).toBe(S.Proceeding);
    expect(owner.events).toEqual(['provisional 180', 'provisional 183']);
  });

  it('§16.8: Timer C fires after a provisional → the branch is cancelled and counts as 408', async () => {
    const { b, core, owner } = await proceeding();
    vi.advanceTimersByTime(TIMER_C_MS - 1);
    expect(cancels(core)).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(b.state).toBe(S.ExpiredCancelling);
    expect(cancels(core)).toHaveLength(1);
    expect(owner.events).toEqual(['final 408 (local)']);
  });

  it('§16.7 step 2: a provisional other than 100 MUST reset Timer C; a 100 does not', async () => {
    const { core, owner, target } = await started();
    vi.advanceTimersByTime(10_000);
    answer(core, target, 100);
    vi.advanceTimersByTime(TIMER_C_MS - 10_000);
    expect(owner.events).toEqual(['provisional 100', 'final 408 (local)']);

    const second = await started();
    vi.advanceTimersByTime(10_000);
    answer(second.core, second.target, 180);
    vi.advanceTimersByTime(TIMER_C_MS - 1);
    answer(second.core, second.target, 183);
    vi.advanceTimersByTime(TIMER_C_MS - 1);
    expect(second.owner.events).toEqual(['provisional 180', 'provisional 183']);
    vi.advanceTimersByTime(1);
    expect(second.owner.events.at(-1)).toBe('final 408 (local)');
  });

  it('an app-chosen final timeout runs from the INVITE and is not restarted by provisionals', async () => {
    const { core, owner, target } = await started({ finalTimeoutMs: 10_000 });
    vi.advanceTimersByTime(9000);
    answer(core, target, 180);
    vi.advanceTimersByTime(1000);
    expect(owner.events).toEqual(['provisional 180', 'final 408 (local)']);
  });

  it('§9.1: cancelled once proceeding → CANCEL at once, and only one however often it is asked', async () => {
    const { b, core } = await proceeding();
    b.cancel();
    b.cancel();
    expect(b.state).toBe(S.Cancelling);
    expect(cancels(core)).toEqual([`CANCEL ${BOB} SIP/2.0`]);
    expect(vi.getTimerCount()).toBeGreaterThan(0);
  });

  it('§9.1: a CANCEL SHOULD NOT be sent for a non-INVITE: the branch runs to its final response', async () => {
    const { b, core, owner, target } = await started({ method: 'MESSAGE' });
    answer(core, target, 100, '', 'MESSAGE');
    b.cancel();
    expect(b.state).toBe(S.Proceeding);
    expect(cancels(core)).toEqual([]);
    answer(core, target, 200, '', 'MESSAGE');
    expect(owner.events).toEqual(['provisional 100', 'final 200', 'quiet']);
  });
});

describe('proxy branch: Cancelling', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('the 487 that answers the CANCEL is the branch outcome', async () => {
    const { b, core, owner, target } = await proceeding();
    b.cancel();
    answer(core, target, 487);
    expect(b.state).toBe(S.Completed);
    expect(owner.events).toEqual(['final 487', 'quiet']);
  });

  it('a 2xx that crossed the CANCEL is still reported, so it can go upstream (§16.7 step 5)', async () => {
    const { b, core, owner, target } = await proceeding();
    b.cancel();
    answer(core, target, 200);
    expect(owner.events).toEqual(['final 200', 'quiet']);
  });

  it('§9.1: no final response 64·T1 after the CANCEL → the INVITE transaction is given up', async () => {
    const { b, core, owner } = await proceeding();
    b.cancel();
    expect(core.gauges.transactions.value).toBe(2);
    vi.advanceTimersByTime(SIXTY_FOUR_T1 - 1);
    expect(owner.events).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(b.state).toBe(S.Terminated);
    expect(owner.events).toEqual(['final 487 (local)', 'quiet']);
    vi.advanceTimersByTime(SIXTY_FOUR_T1); // the CANCEL's own transaction runs out
    expect(core.gauges.transactions.value).toBe(0);
  });

  it('after Timer C (408 reported) the final that follows the CANCEL is no second outcome; a 2xx goes upstream as a late 2xx', async () => {
    const { b, core, owner, target } = await proceeding();
    vi.advanceTimersByTime(TIMER_C_MS);
    answer(core, target, 200);
    expect(b.state).toBe(S.Completed);
    expect(owner.events).toEqual(['final 408 (local)', 'late2xx 200', 'quiet']);
  });

  it('after Timer C with no answer to the CANCEL either, the transaction is given up without a second outcome', async () => {
    const { b, owner } = await proceeding();
    vi.advanceTimersByTime(TIMER_C_MS + SIXTY_FOUR_T1);
    expect(b.state).toBe(S.Terminated);
    expect(owner.events).toEqual(['final 408 (local)', 'quiet']);
  });
});

describe('proxy branch: Completed and Terminated', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('Completed by a 2xx: retransmissions of it reach the context as late 2xx (§16.7 step 5), no timer of the branch is left', async () => {
    const { b, core, owner, target } = await proceeding();
    answer(core, target, 200);
    answer(core, target, 200);
    expect(b.state).toBe(S.Completed);
    expect(owner.events).toEqual(['final 200', 'quiet', 'late2xx 200']);
    b.cancel();
    expect(cancels(core)).toEqual([]);
    vi.advanceTimersByTime(TIMER_C_MS);
    expect(owner.events).toHaveLength(3);
  });

  it('the transaction ending moves Completed to Terminated without telling the context twice', async () => {
    const { b, core, owner, target } = await proceeding();
    answer(core, target, 200);
    vi.advanceTimersByTime(SIXTY_FOUR_T1); // Timer M
    expect(b.state).toBe(S.Terminated);
    expect(owner.events).toEqual(['final 200', 'quiet']);
  });

  it('a branch whose transaction is ended from outside (engine stop) is quiet without an outcome', async () => {
    const { b, core, owner } = await proceeding();
    core.transactions.terminateAll();
    expect(b.state).toBe(S.Terminated);
    expect(owner.events).toEqual(['quiet']);
  });

  it('dispose drops an unfinished branch: its timers stop and nothing more is reported', async () => {
    const { b, core, owner, target } = await proceeding();
    b.dispose();
    expect(b.state).toBe(S.Terminated);
    answer(core, target, 200);
    vi.advanceTimersByTime(TIMER_C_MS);
    expect(owner.events).toEqual([]);
  });

  it('the transition function refuses a step the machine does not draw', async () => {
    const { b } = await started();
    const transition = (b as unknown as { transition(to: ProxyBranchState): void }).transition.bind(b);
    expect(() => transition(S.Waiting)).toThrow(IllegalTransitionError);
    expect(() => transition(S.Cancelling)).toThrow(/proxy branch: no transition from calling to cancelling/);
    expect(b.state).toBe(S.Calling);
  });
});
