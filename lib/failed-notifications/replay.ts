import { and, eq, inArray } from "drizzle-orm";
import { type AuditActor, recordAudit } from "@/lib/audit/audit-log";
import type { Db } from "@/lib/db/client";
import { notificationReplays, skinsbackFailures, webhookDeliveries } from "@/lib/db/schema";
import { ingestNotification } from "@/lib/deposits/ingest-notification";
import { applySkinsbackTruth } from "@/lib/deposits/skinsback-truth";
import { describeError } from "@/lib/errors/describe-error";
import type { SkinsbackClient } from "@/lib/skinsback/client";
import type { DepositStatus } from "@/lib/skinsback/deposit-status";
import { RateBudgetExhaustedError } from "@/lib/skinsback/errors";
import { resolveFailure } from "./sync";

/**
 * Replaying a failed notification: making the console right about one deposit, through the same ingest code as a
 * webhook, exactly once per failed row however many people click.
 *
 * - A row of SkinsBack's failed list: the deposit's truth is read with `orderstatus` (signed by us, over our own
 *   channel: verify-by-fetch) and applied as an observation from source `replay`. `orderstatus` answers fewer
 *   fields than a notification (no `user_risk`); absent fields never erase stored ones.
 * - A delivery this console refused or could not store: its stored bytes go through the webhook receiver again
 *   (after a secret was fixed, a bad-signature delivery may verify now). A body that still does not verify moves
 *   nothing; the operator may then read the truth with `orderstatus` instead.
 *
 * The claim is a row in notification_replays under a partial unique index: of concurrent attempts one inserts,
 * the others read who replayed and when. A failed attempt (SkinsBack unreachable…) releases the claim.
 */

export type ReplayTarget = { kind: "skinsback"; id: number } | { kind: "delivery"; id: number };
export type ReplayMethod = "orderstatus" | "stored-body";

export type ReplayResult =
  | {
      result: "applied";
      previousStatus: DepositStatus | null;
      newStatus: DepositStatus;
      transactionId: string;
    }
  | { result: "unchanged"; status: DepositStatus; transactionId: string; message: string }
  | { result: "failed"; message: string; transactionId: string | null; orderstatusPossible: boolean }
  | { result: "already"; by: string; at: Date; status: string; transactionId: string | null }
  | { result: "not-found" };

export type ReplayDeps = {
  db: Db;
  client: SkinsbackClient;
  credentials: { clientId: string; clientSecret: string };
};

export type ReplayRequest = {
  target: ReplayTarget;
  /** Defaults: orderstatus for SkinsBack's rows, the stored body for deliveries. */
  method?: ReplayMethod;
  by: { actor: AuditActor; label: string; address?: string | null };
  bulkJobId?: number;
  /**
   * A claim still "running" after this long belongs to a process that stopped mid-replay (killed, crashed): it
   * is marked abandoned and the replay is claimed afresh. A replay takes seconds; the default is generous.
   */
  abandonedAfterMs?: number;
};

const DEFAULT_ABANDONED_AFTER_MS = 2 * 60_000;

/** Outcomes of our own deliveries that a replay can fix (a 2xx outcome was stored and needs none). */
export const REPLAYABLE_DELIVERY_OUTCOMES = [
  "bad_signature",
  "invalid_payload",
  "too_large",
  "unavailable",
] as const;

type Resolved = { transactionId: string | null; generation: number; replayable: boolean; reason?: string };

async function loadTarget(db: Db, target: ReplayTarget): Promise<Resolved | undefined> {
  if (target.kind === "skinsback") {
    const [row] = await db.select().from(skinsbackFailures).where(eq(skinsbackFailures.id, target.id));
    if (!row) return undefined;
    return {
      transactionId: row.transactionId,
      generation: row.generation,
      replayable: row.resolvedAt === null,
      reason: row.resolvedAt ? `resolved (${row.resolution}) at ${row.resolvedAt.toISOString()}` : undefined,
    };
  }
  const [row] = await db
    .select({ transactionId: webhookDeliveries.transactionId, outcome: webhookDeliveries.outcome })
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.id, target.id),
        inArray(webhookDeliveries.outcome, [...REPLAYABLE_DELIVERY_OUTCOMES]),
      ),
    );
  if (!row) return undefined;
  return { transactionId: row.transactionId, generation: 1, replayable: true };
}

export async function replayFailure(deps: ReplayDeps, request: ReplayRequest): Promise<ReplayResult> {
  const { db } = deps;
  const { target } = request;
  const method: ReplayMethod =
    request.method ?? (target.kind === "skinsback" ? "orderstatus" : "stored-body");
  const loaded = await loadTarget(db, target);
  if (!loaded) return { result: "not-found" };
  if (method === "orderstatus" && !loaded.transactionId) {
    return {
      result: "failed",
      message: "the delivery names no transaction id, so SkinsBack cannot be asked about it",
      transactionId: null,
      orderstatusPossible: false,
    };
  }

  const claim = await claimReplay(db, request, loaded, method);
  if ("winner" in claim) {
    const { winner } = claim;
    return {
      result: "already",
      by: winner?.requestedBy ?? "someone",
      at: winner?.requestedAt ?? new Date(),
      status: winner?.status ?? "running",
      transactionId: loaded.transactionId,
    };
  }
  if (!loaded.replayable) {
    await finish(db, claim.id, { status: "failed", message: loaded.reason ?? "not replayable" });
    return {
      result: "failed",
      message: loaded.reason ?? "not replayable",
      transactionId: loaded.transactionId,
      orderstatusPossible: false,
    };
  }

  let result: ReplayResult;
  try {
    result =
      method === "orderstatus"
        ? await replayByOrderstatus(deps, loaded.transactionId as string, claim.id)
        : await replayStoredBody(deps, target.id, claim.id);
  } catch (error) {
    if (error instanceof RateBudgetExhaustedError) {
      // Nothing was asked of SkinsBack: the attempt never happened. The caller waits and tries again.
      await db.delete(notificationReplays).where(eq(notificationReplays.id, claim.id));
      throw error;
    }
    result = {
      result: "failed",
      message: describeError(error),
      transactionId: loaded.transactionId,
      orderstatusPossible: loaded.transactionId !== null,
    };
    await finish(db, claim.id, { status: "failed", message: result.message });
  }
  if (target.kind === "skinsback" && (result.result === "applied" || result.result === "unchanged")) {
    await resolveFailure(db, { id: target.id, generation: loaded.generation }, "replayed");
  }
  await recordAudit(db, {
    actor: request.by.actor,
    action: "notification.replay",
    outcome: result.result === "failed" ? "failed" : "ok",
    target: { type: target.kind === "skinsback" ? "skinsback-failure" : "delivery", id: String(target.id) },
    transactionId: loaded.transactionId ?? undefined,
    address: request.by.address,
    detail: {
      method,
      result: result.result,
      ...(result.result === "applied" ? { from: result.previousStatus, to: result.newStatus } : {}),
      ...(result.result === "failed" || result.result === "unchanged" ? { message: result.message } : {}),
      ...(request.bulkJobId ? { bulkJobId: request.bulkJobId } : {}),
    },
  });
  return result;
}

/** The claim: our new row, or the replay that got there first (running, applied or unchanged). */
async function claimReplay(
  db: Db,
  request: ReplayRequest,
  loaded: Resolved,
  method: ReplayMethod,
  retried = false,
): Promise<{ id: number } | { winner: typeof notificationReplays.$inferSelect | undefined }> {
  const { target } = request;
  const [claim] = await db
    .insert(notificationReplays)
    .values({
      targetKind: target.kind,
      targetId: target.id,
      targetGeneration: loaded.generation,
      transactionId: loaded.transactionId,
      status: "running",
      method,
      requestedBy: request.by.label,
      bulkJobId: request.bulkJobId ?? null,
    })
    .onConflictDoNothing()
    .returning({ id: notificationReplays.id });
  if (claim) return claim;
  const [winner] = await db
    .select()
    .from(notificationReplays)
    .where(
      and(
        eq(notificationReplays.targetKind, target.kind),
        eq(notificationReplays.targetId, target.id),
        eq(notificationReplays.targetGeneration, loaded.generation),
        inArray(notificationReplays.status, ["running", "applied", "unchanged"]),
      ),
    );
  const abandonedBefore = Date.now() - (request.abandonedAfterMs ?? DEFAULT_ABANDONED_AFTER_MS);
  if (!retried && winner?.status === "running" && winner.requestedAt.getTime() < abandonedBefore) {
    // Only the abandoned row is released (still "running" when updated), so of several claimants arriving
    // together one releases it and claims afresh; the others are told "already".
    await db
      .update(notificationReplays)
      .set({
        status: "failed",
        message: "abandoned: the process replaying it stopped",
        finishedAt: new Date(),
      })
      .where(and(eq(notificationReplays.id, winner.id), eq(notificationReplays.status, "running")));
    return claimReplay(db, request, loaded, method, true);
  }
  return { winner };
}

async function finish(
  db: Db,
  replayId: number,
  fields: Partial<typeof notificationReplays.$inferInsert> & { status: "applied" | "unchanged" | "failed" },
): Promise<void> {
  await db
    .update(notificationReplays)
    .set({ ...fields, finishedAt: new Date() })
    .where(eq(notificationReplays.id, replayId));
}

/** SkinsBack's own answer, as an observation: nothing unsigned, nothing from the failed request. */
async function replayByOrderstatus(
  deps: ReplayDeps,
  transactionId: string,
  replayId: number,
): Promise<ReplayResult> {
  const truth = await applySkinsbackTruth(deps.db, deps.client, transactionId, "replay");
  if (!truth.ok) {
    await finish(deps.db, replayId, { status: "failed", message: truth.message });
    return { result: "failed", message: truth.message, transactionId, orderstatusPossible: true };
  }
  const { observed } = truth;
  return settle(
    deps.db,
    replayId,
    transactionId,
    observed.outcome,
    observed.previousStatus ?? null,
    observed.status,
    { eventId: observed.eventId },
  );
}

/** The delivery's own bytes through the receiver again; a body that still fails verification moves nothing. */
async function replayStoredBody(
  deps: ReplayDeps,
  deliveryId: number,
  replayId: number,
): Promise<ReplayResult> {
  const [original] = await deps.db
    .select()
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.id, deliveryId));
  if (!original) throw new Error("the delivery is gone");
  if (original.bodyTruncated) {
    const message =
      "only the first bytes of this body were kept (it was over the size limit): read the deposit with orderstatus instead";
    await finish(deps.db, replayId, { status: "failed", message });
    return {
      result: "failed",
      message,
      transactionId: original.transactionId,
      orderstatusPossible: original.transactionId !== null,
    };
  }
  const ingested = await ingestNotification(
    { getDb: async () => deps.db, credentials: deps.credentials, deadlineMs: 10_000 },
    {
      body: original.rawBody,
      totalBytes: original.bodyBytes,
      contentType: original.contentType,
      // Credentials were never stored, X-SIGN among them: the replay is judged by the body's own `sign`.
      xSignHeader: null,
      remoteAddress: original.remoteAddress,
      headers: original.headers,
      replayOfDeliveryId: deliveryId,
    },
  );
  if (ingested.kind !== "stored") {
    const message =
      ingested.kind === "refused" ? `still refused: ${ingested.error}` : `not stored: ${ingested.error}`;
    const replayDelivery = ingested.kind === "refused" ? ingested.deliveryId : null;
    await finish(deps.db, replayId, { status: "failed", message, deliveryId: replayDelivery });
    return {
      result: "failed",
      message,
      transactionId: original.transactionId,
      orderstatusPossible: original.transactionId !== null,
    };
  }
  return settle(
    deps.db,
    replayId,
    ingested.transactionId,
    ingested.outcome,
    ingested.previousStatus,
    ingested.newStatus,
    { deliveryId: ingested.deliveryId, eventId: ingested.eventId },
  );
}

async function settle(
  db: Db,
  replayId: number,
  transactionId: string,
  outcome: "applied" | "duplicate" | "stale" | "conflict",
  previousStatus: DepositStatus | null,
  status: DepositStatus,
  links: { eventId?: number; deliveryId?: number },
): Promise<ReplayResult> {
  if (outcome === "applied") {
    await finish(db, replayId, { status: "applied", previousStatus, newStatus: status, ...links });
    return { result: "applied", previousStatus, newStatus: status, transactionId };
  }
  const message =
    outcome === "conflict"
      ? `SkinsBack says ${status}, which conflicts with the console's state: the deposit is flagged for a person to check`
      : `already up to date (${status})`;
  await finish(db, replayId, { status: "unchanged", newStatus: status, message, ...links });
  return { result: "unchanged", status, transactionId, message };
}
