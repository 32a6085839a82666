import { describe, expect, it } from 'vitest';
import { DrainState, DrainStateMachine, DrainTransitionError } from '../../src/ops/drain/drain-state.js';

describe('drain state', () => {
  it('goes serving → draining → stopping and never back', () => {
    const m = new DrainStateMachine();
    expect(m.state).toBe(DrainState.Serving);
    m.moveTo(DrainState.Draining);
    expect(m.can(DrainState.Serving)).toBe(false);
    m.moveTo(DrainState.Stopping);
    expect(() => m.moveTo(DrainState.Draining)).toThrow(DrainTransitionError);
    expect(m.state).toBe(DrainState.Stopping);
  });

  it('may stop without draining', () => {
    const m = new DrainStateMachine();
    m.moveTo(DrainState.Stopping);
    expect(() => m.moveTo(DrainState.Serving)).toThrow('cannot go from stopping to serving');
  });
});
