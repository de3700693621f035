import { and, eq, sql } from "drizzle-orm";
import { type AuditActor, recordAudit } from "@/lib/audit/audit-log";
import type { Db } from "@/lib/db/client";
import { rowsOf } from "@/lib/db/rows";
import { deposits, holdApprovals } from "@/lib/db/schema";
import { formatMoney } from "@/lib/money/format";
import { assessRisk, NO_HISTORY } from "@/lib/risk/assessment";
import { readSetting } from "@/lib/settings";
import type { SkinsbackClient } from "@/lib/skinsback/client";
import {
  RateBudgetExhaustedError,
  SkinsBackApiError,
  SkinsBackError,
  SkinsBackOutcomeUnknownError,
} from "@/lib/skinsback/errors";
import { merchantHistories } from "./queue";
import { depositUsd } from "./usd";

/**
 * Approve a held deposit early (`offer_approve` through the signed client): the player is credited now and the
 * merchant carries the risk of a reversal. Once per deposit, enforced by hold_approvals' primary key: of any number
 * of concurrent approvals one claims the row and calls SkinsBack; the others answer "already approved by X at T".
 * A failed attempt leaves the row open to a new claim. SkinsBack's error 5 ("already approved or cancelled") is
 * an answer, not a failure. The deposit becomes hold_approved when SkinsBack's notification arrives.
 */
export type ApproveResult =
  | { kind: "approved"; message: string }
  | { kind: "already"; message: string }
  | { kind: "refused"; message: string }
  | { kind: "failed"; message: string; retryAfterSeconds?: number };

export type ApproveRequest = {
  transactionId: string;
  reason: string;
  actor: Extract<AuditActor, { kind: "operator" }>;
  address: string | null;
  /** Part of a bulk approval: only low-risk deposits may be approved that way. */
  bulk?: boolean;
};

export async function approveHold(
  deps: { db: Db; client: SkinsbackClient },
  request: ApproveRequest,
  now = new Date(),
): Promise<ApproveResult> {
  const { db } = deps;
  const { transactionId } = request;
  const audit = (outcome: "ok" | "refused" | "failed", detail: Record<string, unknown>) =>
    recordAudit(db, {
      actor: request.actor,
      action: "hold.approve",
      outcome,
      target: { type: "deposit", id: transactionId },
      transactionId,
      address: request.address,
      detail: { reason: request.reason, bulk: request.bulk ?? false, ...detail },
    });

  const claim = await db.transaction(async (tx) => {
    // Approvals take turns here, so that two approvals cannot both fit under a cap that only one fits under.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('hold-approvals'))`);
    const [deposit] = await tx.select().from(deposits).where(eq(deposits.transactionId, transactionId));
    if (!deposit) return { kind: "refused", refused: "no such deposit here" } as const;
    const [existing] = await tx
      .select()
      .from(holdApprovals)
      .where(eq(holdApprovals.transactionId, transactionId));
    if (existing && existing.state !== "failed") return { kind: "existing", existing } as const;
    if (deposit.status !== "in_hold") {
      return {
        kind: "refused",
        refused: `the deposit is ${deposit.status.replace("_", " ")}, not in hold: nothing to approve`,
      } as const;
    }
    const [thresholds, caps, histories] = await Promise.all([
      readSetting(tx, "risk.thresholds"),
      readSetting(tx, "holds.caps"),
      merchantHistories(tx, deposit.steamId ? [deposit.steamId] : []),
    ]);
    const assessment = assessRisk(
      {
        userRisk: deposit.userRisk,
        history: (deposit.steamId && histories.get(deposit.steamId)) || NO_HISTORY,
        now,
      },
      thresholds,
    );
    if (request.bulk && assessment.level !== "low") {
      return {
        kind: "refused",
        refused: `${assessment.level} risk: approve it on its own, with its reasons in front of you`,
      } as const;
    }
    const capProblem = await checkCaps(tx, deposit, caps);
    if (capProblem) return { kind: "refused", refused: capProblem } as const;
    const values = {
      transactionId,
      state: "sending" as const,
      operatorId: request.actor.id,
      operatorEmail: request.actor.email,
      reason: request.reason,
      riskLevel: assessment.level,
      riskReasons: assessment.reasons.map((r) => r.text),
      amount: deposit.amount,
      currency: deposit.amountCurrency,
      bulk: request.bulk ?? false,
      message: null,
      requestedAt: now,
      finishedAt: null,
    };
    const [claimed] = await tx
      .insert(holdApprovals)
      .values(values)
      .onConflictDoUpdate({
        target: holdApprovals.transactionId,
        set: values,
        setWhere: sql`${holdApprovals.state} = 'failed'`,
      })
      .returning();
    if (!claimed) {
      const [other] = await tx
        .select()
        .from(holdApprovals)
        .where(eq(holdApprovals.transactionId, transactionId));
      return { kind: "existing", existing: other } as const;
    }
    return { kind: "claimed", claimed, assessment } as const;
  });

  if (claim.kind === "refused") {
    await audit("refused", { message: claim.refused });
    return { kind: "refused", message: claim.refused };
  }
  if (claim.kind === "existing") {
    const e = claim.existing;
    const at = e?.requestedAt.toISOString().slice(0, 19).replace("T", " ");
    const message =
      e?.state === "sending"
        ? `already being approved by ${e.operatorEmail} since ${at} UTC`
        : `already approved by ${e?.operatorEmail} at ${at} UTC`;
    return { kind: "already", message };
  }

  const finish = (state: "approved" | "already" | "failed", message: string) =>
    db
      .update(holdApprovals)
      .set({ state, message, finishedAt: new Date() })
      .where(and(eq(holdApprovals.transactionId, transactionId), eq(holdApprovals.state, "sending")));
  const risk = { level: claim.assessment.level, reasons: claim.assessment.reasons.map((r) => r.text) };
  try {
    await deps.client.call("offer_approve", { transaction_id: transactionId });
    const message = "approved: SkinsBack will notify hold_approved";
    await finish("approved", message);
    await audit("ok", { risk, amount: claim.claimed.amount, currency: claim.claimed.currency });
    return { kind: "approved", message };
  } catch (error) {
    if (error instanceof SkinsBackApiError && error.skinsbackCode === 5) {
      const message = "already approved or cancelled at SkinsBack (5): nothing changed";
      await finish("already", message);
      await audit("ok", { risk, skinsback: message });
      return { kind: "already", message };
    }
    const message =
      error instanceof RateBudgetExhaustedError
        ? `SkinsBack's call budget is full; try again in ${error.retryAfterSeconds} s`
        : error instanceof SkinsBackOutcomeUnknownError
          ? "no answer from SkinsBack: it may have been approved — Refresh from SkinsBack before trying again"
          : error instanceof SkinsBackError
            ? error.message
            : "the approval could not be sent";
    await finish("failed", message);
    await audit("failed", { risk, message });
    return {
      kind: "failed",
      message,
      ...(error instanceof RateBudgetExhaustedError && { retryAfterSeconds: error.retryAfterSeconds }),
    };
  }
}

/** A cap the approval would pass, in words naming it; null when it fits (or no cap is set). */
async function checkCaps(
  db: Db,
  deposit: typeof deposits.$inferSelect,
  caps: { perPlayerUsd: string | null; totalUsd: string | null },
): Promise<string | null> {
  if (!caps.perPlayerUsd && !caps.totalUsd) return null;
  // Exposure: money released early and not final (hold_approved), and approvals on their way to SkinsBack.
  const [row] = rowsOf<{
    usd: string | null;
    total: string;
    player: string;
    fits_total: boolean;
    fits_player: boolean;
  }>(
    await db.execute(sql`
      with this as (
        select ${depositUsd} as usd, ${deposits.steamId} as steam_id
          from ${deposits} where ${deposits.transactionId} = ${deposit.transactionId}
      ), exposed as (
        select ${deposits.steamId} as steam_id, coalesce(${depositUsd}, 0) as usd
          from ${deposits}
         where ${deposits.status} = 'hold_approved'
            or ${deposits.transactionId} in (select transaction_id from hold_approvals where state = 'sending')
      ), sums as (
        select coalesce(sum(e.usd), 0) as total,
               coalesce(sum(e.usd) filter (where e.steam_id = this.steam_id), 0) as player
          from this left join exposed e on true
      )
      select this.usd::text as usd, sums.total::text as total, sums.player::text as player,
             ${caps.totalUsd}::numeric is null or sums.total + this.usd <= ${caps.totalUsd}::numeric as fits_total,
             ${caps.perPlayerUsd}::numeric is null or sums.player + this.usd <= ${caps.perPlayerUsd}::numeric as fits_player
        from this, sums`),
  );
  if (!row?.usd) return "this deposit has no USD amount to check against the exposure caps";
  const usd = (amount: string) => formatMoney(amount, "usd");
  if (!row.fits_player && caps.perPlayerUsd) {
    return `over the per-player cap of ${usd(caps.perPlayerUsd)}: this player has ${usd(row.player)} released early already, and this deposit is ${usd(row.usd)}`;
  }
  if (!row.fits_total && caps.totalUsd) {
    return `over the total cap of ${usd(caps.totalUsd)}: ${usd(row.total)} is released early already, and this deposit is ${usd(row.usd)}`;
  }
  return null;
}
