export class DeadlineExceededError extends Error {
  override name = "DeadlineExceededError";
}

/**
 * Rejects when `work` has not settled within `ms`. The work itself is not cancelled; callers use this only where
 * finishing late is harmless (every write it makes is idempotent), to answer within a promised time.
 */
export function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceededError(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
