/** Test support: a clock that moves only when something sleeps on it. */
export interface ManualClock {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Every wait asked for, in order. */
  waits: number[];
}

export function manualClock(startMs = 0): ManualClock {
  let now = startMs;
  const waits: number[] = [];
  return {
    now: () => now,
    sleep: async (ms) => {
      waits.push(ms);
      now += ms;
    },
    waits,
  };
}
