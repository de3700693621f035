import type { DepositStatus } from "@/lib/skinsback/deposit-status";

/**
 * The deposit state machine (docs/skinsback-protocol.md#state-machine), pure.
 *
 * Documented moves: pending → success | fail | in_hold; in_hold → success | fail | hold_approved;
 * hold_approved → success | hold_returned. Final: success, fail, hold_returned.
 *
 * Notifications arrive late, twice or out of order, so an observation is judged against the graph's reachability,
 * not only its direct edges: a status reachable from the current one moves the deposit forward (an intermediate
 * notification may still be on its way); one from which the current status is reachable is older news (stale);
 * the same status is a duplicate; anything else contradicts what we know (conflict, state unchanged).
 */

export type ObservationOutcome = "applied" | "duplicate" | "stale" | "conflict";

const MOVES: Record<DepositStatus, readonly DepositStatus[]> = {
  pending: ["success", "fail", "in_hold"],
  in_hold: ["success", "fail", "hold_approved"],
  hold_approved: ["success", "hold_returned"],
  success: [],
  fail: [],
  hold_returned: [],
};

function reachable(from: DepositStatus, to: DepositStatus): boolean {
  const seen = new Set<DepositStatus>();
  const queue: DepositStatus[] = [...MOVES[from]];
  while (queue.length > 0) {
    const next = queue.shift() as DepositStatus;
    if (next === to) return true;
    if (seen.has(next)) continue;
    seen.add(next);
    queue.push(...MOVES[next]);
  }
  return false;
}

/** `current` is undefined for a deposit we have never seen: its first observation is always applied. */
export function judgeObservation(
  current: DepositStatus | undefined,
  incoming: DepositStatus,
): ObservationOutcome {
  if (current === undefined) return "applied";
  if (current === incoming) return "duplicate";
  if (reachable(current, incoming)) return "applied";
  if (reachable(incoming, current)) return "stale";
  return "conflict";
}
