import { asc, eq, sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { rowsOf } from "@/lib/db/rows";
import { type ForwardEndpoint, forwardEndpoints } from "@/lib/db/schema";
import { metrics } from "@/lib/metrics/registry";
import { type PostResult, postMessage, retryWaitMs } from "./http-post";
import { buildRequest, type OutgoingMessage } from "./message-request";

/**
 * The sender: claims due messages and posts them. Every instance runs it (lib/forwarding/forwarding-loop.ts); the
 * database decides who sends what:
 * - a claim is a lease (`claimed_until`), taken under the endpoint's row lock, so an endpoint never has more than
 *   its `concurrency` messages in flight across all instances, and a dead sender's claims expire and are sent
 *   again (with the same `webhook-id`);
 * - a deposit's message is claimable only when no earlier message of that deposit is still waiting on the same
 *   endpoint: one deposit's changes arrive in `sequence` order; different deposits go in parallel.
 */

export type SenderDeps = {
  db: Db;
  now: () => Date;
  retryScheduleMs: number[];
  allowPrivateNetworks: boolean;
  project: { clientId: string; clientSecret: string };
  /** 15 s unless a test needs another cut. */
  timeoutMs?: number;
};

export type ClaimedMessage = OutgoingMessage & {
  endpoint: ForwardEndpoint;
  attempts: number;
  claimedUntil: Date;
};

export const ATTEMPT_TIMEOUT_MS = 15_000;
/** A claim outlives the longest attempt, so a live sender never loses its claim mid-send. */
const LEASE_MS = ATTEMPT_TIMEOUT_MS + 30_000;
/**
 * A sender's own bookkeeping (claims, attempts) commits without waiting for the WAL flush. A crash can lose the
 * last few milliseconds of it, which only means a message is claimed or sent again — with the same
 * `webhook-id`, which receivers dedupe on. Messages themselves are written by the ingest's own transaction,
 * which waits as always: nothing acknowledged to SkinsBack is ever at risk here.
 */
const ASYNC_COMMIT = sql`set local synchronous_commit = off`;
/** Five days of nothing but failures disable an endpoint. */
export const FAILING_DISABLES_AFTER_MS = 5 * 86_400_000;

/**
 * Claims what is due on every enabled endpoint, up to each endpoint's free slots. `room(endpoint)`: how many
 * more this instance may take for it (its own sends in flight count against the concurrency already; 0 skips
 * the endpoint without a round trip).
 */
export async function claimDueMessages(
  deps: SenderDeps,
  room: (endpoint: ForwardEndpoint) => number = () => 64,
  endpoints?: ForwardEndpoint[],
): Promise<ClaimedMessage[]> {
  const now = deps.now();
  const claimed: ClaimedMessage[] = [];
  for (const endpoint of endpoints ?? (await enabledEndpoints(deps.db))) {
    const limit = Math.min(64, room(endpoint));
    if (limit <= 0) continue;
    claimed.push(...(await claimForEndpoint(deps.db, endpoint, now, limit)));
  }
  return claimed;
}

/** The endpoints a sender may claim for now (a claim checks again, under the endpoint's lock). */
export async function enabledEndpoints(db: Db): Promise<ForwardEndpoint[]> {
  return db
    .select()
    .from(forwardEndpoints)
    .where(eq(forwardEndpoints.state, "enabled"))
    .orderBy(asc(forwardEndpoints.id));
}

/**
 * Two statements in one transaction: lock the endpoint's row (SKIP LOCKED: an instance claiming for it right
 * now makes this one skip the round), then count its messages in flight and claim up to the free slots. The
 * count must be a statement of its own: READ COMMITTED gives each statement a fresh snapshot, so it sees every
 * claim committed by whoever held the lock before — one statement's snapshot could predate them.
 */
async function claimForEndpoint(
  db: Db,
  endpoint: ForwardEndpoint,
  now: Date,
  limit: number,
): Promise<ClaimedMessage[]> {
  const until = new Date(now.getTime() + LEASE_MS);
  const nowText = now.toISOString();
  return db.transaction(async (tx) => {
    await tx.execute(ASYNC_COMMIT);
    const locked = rowsOf<{ id: string }>(
      await tx.execute(sql`select id from forward_endpoints
        where id = ${endpoint.id} and state = 'enabled' for update skip locked`),
    );
    if (locked.length === 0) return [];
    const rows = rowsOf<{
      id: string | number;
      type: string;
      attempts: number;
      change_created_at: Date | string | null;
      created_at: Date | string;
      data: Record<string, unknown> | null;
    }>(
      await tx.execute(sql`
        with slots as (
          select least(${limit}::int, e.concurrency - (
            select count(*)::int from forward_messages f
             where f.endpoint_id = e.id and f.state = 'waiting' and f.claimed_until > ${nowText}::timestamptz
          )) as n from forward_endpoints e where e.id = ${endpoint.id}
        ), due as (
          select m.id from forward_messages m
           where m.endpoint_id = ${endpoint.id} and m.state = 'waiting'
             and m.next_attempt_at <= ${nowText}::timestamptz
             and (m.claimed_until is null or m.claimed_until <= ${nowText}::timestamptz)
             and not exists (
               select 1 from forward_messages p
                where p.endpoint_id = m.endpoint_id and p.transaction_id = m.transaction_id
                  and p.state = 'waiting' and p.sequence < m.sequence)
           order by m.next_attempt_at, m.id
           limit greatest(0, coalesce((select n from slots), 0))
           for update of m skip locked
        ), claimed as (
          update forward_messages m set claimed_until = ${until.toISOString()}::timestamptz
            from due where m.id = due.id
          returning m.id, m.type, m.attempts, m.created_at, m.change_id
        )
        select claimed.id, claimed.type, claimed.attempts, claimed.created_at,
               c.created_at as change_created_at, c.data
          from claimed left join deposit_changes c on c.id = claimed.change_id
         order by claimed.id`),
    );
    return rows.map((r) => ({
      id: Number(r.id),
      type: r.type,
      attempts: r.attempts,
      createdAt: new Date(r.change_created_at ?? r.created_at),
      data: r.data ?? testEventData(endpoint.name),
      endpoint,
      claimedUntil: until,
    }));
  });
}

/** What a test event carries (no deposit). */
export function testEventData(endpointName: string): Record<string, unknown> {
  return {
    message: "A test event from the SkinsBack console. No deposit changed.",
    endpoint: endpointName,
  };
}

export type AttemptOutcome = "delivered" | "retry" | "failed" | "endpoint_gone";

/** One attempt's answer, judged: what the message becomes. Recorded by `recordAttempts`. */
export type Attempt = {
  message: ClaimedMessage;
  attemptedAt: Date;
  signedAt: number;
  result: PostResult;
  outcome: AttemptOutcome;
  state: "waiting" | "delivered" | "failed";
  attempts: number;
  nextAttemptAt: Date;
  error: string | null;
};

/** Posts one claimed message and judges the answer (nothing is written yet). */
export async function attemptClaimed(deps: SenderDeps, message: ClaimedMessage): Promise<Attempt> {
  const attemptedAt = deps.now();
  const { headers, body, signedAt } = buildRequest(message.endpoint, message, attemptedAt, deps.project);
  const result = await postMessage(new URL(message.endpoint.url), headers, body, {
    timeoutMs: deps.timeoutMs ?? ATTEMPT_TIMEOUT_MS,
    allowInternal: deps.allowPrivateNetworks || message.endpoint.allowPrivateNetwork,
  });
  return judge(deps, message, attemptedAt, signedAt, result);
}

/**
 * What an answer means: 2xx delivered; 410 disables the endpoint and the message waits (its attempt does not
 * count toward the schedule); 429/503 wait for `Retry-After` when given; anything else waits for the schedule's
 * next delay, and after its last attempt the message is failed.
 */
function judge(
  deps: SenderDeps,
  message: ClaimedMessage,
  attemptedAt: Date,
  signedAt: number,
  result: PostResult,
): Attempt {
  const now = deps.now();
  const delivered = result.status !== null && result.status >= 200 && result.status < 300;
  const gone = result.status === 410;
  const attempts = gone ? message.attempts : message.attempts + 1;
  let outcome: AttemptOutcome;
  let nextAttemptAt = now;
  if (delivered) outcome = "delivered";
  else if (gone) outcome = "endpoint_gone";
  else if (attempts >= deps.retryScheduleMs.length) outcome = "failed";
  else {
    outcome = "retry";
    nextAttemptAt = new Date(now.getTime() + retryWaitMs(result, deps.retryScheduleMs[attempts] as number));
  }
  return {
    message,
    attemptedAt,
    signedAt,
    result,
    outcome,
    state: outcome === "delivered" ? "delivered" : outcome === "failed" ? "failed" : "waiting",
    attempts,
    nextAttemptAt,
    error: delivered ? null : (result.error ?? `answered HTTP ${result.status}`),
  };
}

/**
 * Stores attempts — the messages' new state, every attempt kept, each endpoint's health — in one statement for
 * the whole batch (the sender records what finished together at once). A message whose claim was lost meanwhile
 * (its sender was thought dead) is not changed; its attempt is still kept.
 */
export async function recordAttempts(deps: SenderDeps, attempts: Attempt[]): Promise<void> {
  if (attempts.length === 0) return;
  for (const a of attempts) metrics().forwardAttempts.inc({ outcome: a.outcome });
  const now = deps.now();
  const rows = attempts.map((a) => ({
    id: a.message.id,
    claim: a.message.claimedUntil.toISOString(),
    endpoint_id: a.message.endpoint.id,
    state: a.state,
    attempts: a.attempts,
    next_attempt_at: a.nextAttemptAt.toISOString(),
    http_status: a.result.status,
    error: a.error,
    delivered: a.outcome === "delivered",
    attempted_at: a.attemptedAt.toISOString(),
    signed_at: a.signedAt,
    duration_ms: a.result.durationMs,
    response: a.result.response,
  }));
  // Per endpoint: a 410 disables it; a success clears its failing streak; failures start one (or, five days on,
  // disable it). Most batches change nothing here, and then nothing is written or locked.
  const endpoints = [...new Set(attempts.map((a) => a.message.endpoint.id))].map((id) => {
    const mine = attempts.filter((a) => a.message.endpoint.id === id);
    return {
      id,
      gone: mine.some((a) => a.outcome === "endpoint_gone"),
      delivered: mine.some((a) => a.outcome === "delivered"),
      failed: mine.some((a) => a.outcome === "retry" || a.outcome === "failed"),
    };
  });
  const nowText = now.toISOString();
  const disableAfter = new Date(now.getTime() - FAILING_DISABLES_AFTER_MS).toISOString();
  await deps.db.transaction(async (tx) => {
    await tx.execute(ASYNC_COMMIT);
    await tx.execute(sql`
      with r as (
        select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(
          id bigint, claim timestamptz, endpoint_id text, state text, attempts int, next_attempt_at timestamptz,
          http_status smallint, error text, delivered boolean, attempted_at timestamptz, signed_at bigint,
          duration_ms int, response text)
      ), m as (
        update forward_messages f set
          state = r.state, attempts = r.attempts, next_attempt_at = r.next_attempt_at, claimed_until = null,
          last_http_status = r.http_status, last_error = r.error,
          delivered_at = case when r.delivered then ${nowText}::timestamptz else null end
          from r where f.id = r.id and f.claimed_until = r.claim
        returning f.id
      ), a as (
        insert into forward_attempts (message_id, endpoint_id, attempted_at, signed_at, http_status, duration_ms,
                                      response, error, delivered)
        select r.id, r.endpoint_id, r.attempted_at, r.signed_at, r.http_status, r.duration_ms, r.response, r.error,
               r.delivered
          from r
        returning id
      ), outcome as (
        select * from jsonb_to_recordset(${JSON.stringify(endpoints)}::jsonb)
          as o(id text, gone boolean, delivered boolean, failed boolean)
      )
      update forward_endpoints e set
        failing_since = case when o.delivered then null else coalesce(e.failing_since, ${nowText}::timestamptz) end,
        state = case
          when o.gone then 'disabled'
          when not o.delivered and e.failing_since <= ${disableAfter}::timestamptz then 'disabled'
          else e.state end,
        state_reason = case
          when o.gone then ${`the endpoint answered 410 Gone at ${nowText}; messages wait until it is enabled`}
          when not o.delivered and e.failing_since <= ${disableAfter}::timestamptz
            then ${`every attempt failed for 5 days (last at ${nowText}); messages wait until it is enabled`}
          else e.state_reason end,
        updated_at = case when o.gone or (not o.delivered and e.failing_since <= ${disableAfter}::timestamptz)
          then ${nowText}::timestamptz else e.updated_at end
        from outcome o
       where e.id = o.id
         and (o.gone or (o.delivered and e.failing_since is not null)
              or (o.failed and not o.delivered
                  and (e.failing_since is null or e.failing_since <= ${disableAfter}::timestamptz)))`);
  });
}

/** One round for tests and the benchmark: claims what is due, sends all of it, records it together. */
export async function deliverDueMessages(deps: SenderDeps): Promise<Record<AttemptOutcome, number>> {
  const claimed = await claimDueMessages(deps);
  const counts: Record<AttemptOutcome, number> = { delivered: 0, retry: 0, failed: 0, endpoint_gone: 0 };
  const attempts = await Promise.all(claimed.map((m) => attemptClaimed(deps, m)));
  await recordAttempts(deps, attempts);
  for (const a of attempts) counts[a.outcome] += 1;
  return counts;
}
