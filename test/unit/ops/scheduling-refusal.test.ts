import { describe, expect, it } from 'vitest';
import { schedulingRefusal } from '../../../src/ops/media/scheduling-refusal.js';

const wanted = { priority: -10, realtimePriority: 10 };

describe('media threads: the line logged when the scheduler refuses them', () => {
  it('nothing refused: no line', () => {
    expect(schedulingRefusal(wanted, [{ nice: -10, realtime: { rr: 10 } }])).toBeUndefined();
    expect(schedulingRefusal(wanted, [])).toBeUndefined();
  });

  it('both refused (a non-root start): one line naming both requests, their reasons and both keys', () => {
    const r = schedulingRefusal(wanted, [{ nice: 0, refused: 'EACCES', realtime: { refused: "failed to set pid 7's policy: Operation not permitted" } }]);
    expect(r?.msg).toBe(
      "media threads run at nice 0, without real-time scheduling: nice -10 was refused (EACCES) and SCHED_RR 10 was refused (failed to set pid 7's policy: Operation not permitted); " +
        'RTP pacing suffers first when the machine is busy. Run with CAP_SYS_NICE, or set media.embedded.priority: 0 and media.embedded.realtimePriority: 0 to silence this',
    );
    expect(r?.fields).toEqual({ wantedNice: -10, nice: 0, niceRefused: 'EACCES', wantedRealtime: 10, realtimeRefused: "failed to set pid 7's policy: Operation not permitted" });
  });

  it('only real-time refused: the line says the threads kept their nice value', () => {
    const r = schedulingRefusal(wanted, [
      { nice: -10, realtime: { rr: 10 } },
      { nice: -10, realtime: { refused: 'chrt is not installed (util-linux)' } },
    ]);
    expect(r?.msg).toMatch(/^media threads run at nice -10, without real-time scheduling: SCHED_RR 10 was refused \(chrt is not installed \(util-linux\)\);/);
    expect(r?.msg).toMatch(/set media\.embedded\.realtimePriority: 0 to silence this$/);
    expect(r?.fields).not.toHaveProperty('niceRefused');
  });

  it('only nice refused: the line names that key alone', () => {
    const r = schedulingRefusal(wanted, [{ nice: 0, refused: 'EACCES', realtime: {} }]);
    expect(r?.msg).toMatch(/^media threads run at nice 0: nice -10 was refused \(EACCES\);/);
    expect(r?.msg).toMatch(/set media\.embedded\.priority: 0 to silence this$/);
  });
});
