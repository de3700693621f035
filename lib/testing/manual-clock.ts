/**
 * A clock a test owns: `now()` moves only when the test (or code waiting on it) calls `sleep` or `advance`, so
 * a window, a lease or a deadline is stepped through exactly on any machine, however loaded. Matches
 * RateBudgetClock, and `now` can be handed to anything that takes `() => Date`.
 */
export function manualClock(start = "2030-01-01T00:00:00.000Z") {
  const origin = Date.parse(start);
  let nowMs = origin;
  const slept: number[] = [];
  return {
    now: () => new Date(nowMs),
    /** Waits by moving the clock: resolves at once, `ms` later in the clock's time. */
    sleep: async (ms: number) => {
      slept.push(ms);
      nowMs += ms;
    },
    advance: (ms: number) => {
      nowMs += ms;
    },
    set: (ms: number) => {
      nowMs = origin + ms;
    },
    /** Milliseconds since `start`. */
    elapsed: () => nowMs - origin,
    slept,
  };
}
