/** Milliseconds since the epoch; injected so tests drive time instead of sleeping. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
