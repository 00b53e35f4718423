/** Where jobs read the time. Production: the wall clock. Demo and tests: the simulator's virtual clock. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
