/**
 * The ingest's deadline: how long a piece of work may take before the answer is decided without it. The work goes
 * on; its result is read later (lib/deposits/ingest-notification.ts decides what a late result means).
 */

export type Settled<T> =
  | { state: "done"; value: T }
  | { state: "failed"; error: unknown }
  | { state: "pending" };

/** Waits for `work` at most `ms`; never rejects. */
export async function settleWithin<T>(work: Promise<T>, ms: number): Promise<Settled<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Settled<T>>((resolve) => {
    timer = setTimeout(() => resolve({ state: "pending" }), Math.max(ms, 0));
  });
  const settled = work.then(
    (value): Settled<T> => ({ state: "done", value }),
    (error): Settled<T> => ({ state: "failed", error }),
  );
  return Promise.race([settled, timeout]).finally(() => clearTimeout(timer));
}
