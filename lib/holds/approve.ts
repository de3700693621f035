import { and, eq, sql } from "drizzle-orm";
import { type AuditActor, recordAudit } from "@/lib/audit/audit-log";
import type { Db } from "@/lib/db/client";
import { rowsOf } from "@/lib/db/rows";
import { deposits, holdApprovals } from "@/lib/db/schema";
import { HOLD_CAPS_SETTING } from "@/lib/holds/settings";
import { formatMoney } from "@/lib/money/format";
import { assessRisk, NO_HISTORY } from "@/lib/risk/assessment";
import { RISK_THRESHOLDS_SETTING } from "@/lib/risk/settings";
import { readSetting } from "@/lib/settings/store";
import type { SkinsbackClient } from "@/lib/skinsback/client";
import {
  RateBudgetExhaustedError,
  SkinsBackApiError,
  SkinsBackError,
  SkinsBackOutcomeUnknownError,
} from "@/lib/skinsback/errors";
import { merchantHistories } from "./queue";
import { ratesForCaps, ratesReadAt } from "./rates";
import { signedUsd } from "./usd";

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

  // Caps convert signed amounts with SkinsBack's rates as the console read them; stale rates are read first,
  // outside the lock (a call to SkinsBack), and the approval is refused when none fit to decide are at hand.
  const caps = await readSetting(db, HOLD_CAPS_SETTING);
  const capped = Boolean(caps.perPlayerUsd || caps.totalUsd);
  const rates = capped ? await ratesForCaps(db, deps.client, now) : { readAt: await ratesReadAt(db) };
  if ("problem" in rates) {
    await audit("refused", { message: rates.problem });
    return { kind: "refused", message: rates.problem };
  }

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
    const [thresholds, histories] = await Promise.all([
      readSetting(tx, RISK_THRESHOLDS_SETTING),
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
    const exposure = await checkCaps(tx, deposit, caps);
    if (exposure.problem) return { kind: "refused", refused: exposure.problem } as const;
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
      usd: exposure.usd,
      ratesAt: exposure.usd === null ? null : rates.readAt,
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

/**
 * Exposure: money released early and not final yet — deposits `hold_approved`, and deposits whose approval is on
 * its way or was accepted by SkinsBack (its `hold_approved` notification may still be on the way), until the
 * deposit is final. Each in USD from its signed amount (`signed_usd`). Returns this deposit's USD figure, and the
 * cap it would pass in words (null when it fits, or no cap is set).
 */
async function checkCaps(
  db: Db,
  deposit: typeof deposits.$inferSelect,
  caps: { perPlayerUsd: string | null; totalUsd: string | null },
): Promise<{ usd: string | null; problem: string | null }> {
  const [row] = rowsOf<{
    usd: string | null;
    total: string;
    player: string;
    unpriced: string | null;
    fits_total: boolean;
    fits_player: boolean;
  }>(
    await db.execute(sql`
      with this as (
        select ${signedUsd} as usd, ${deposits.steamId} as steam_id
          from ${deposits} where ${deposits.transactionId} = ${deposit.transactionId}
      ), exposed as (
        select d.steam_id, signed_usd(d.amount_currency, d.amount) as usd, d.amount_currency as currency
          from deposits d where d.status = 'hold_approved'
        union all
        select d.steam_id, signed_usd(d.amount_currency, d.amount), d.amount_currency
          from hold_approvals a join deposits d on d.transaction_id = a.transaction_id
         where a.state in ('sending', 'approved', 'already') and d.status in ('pending', 'in_hold')
           and d.transaction_id <> ${deposit.transactionId}
      ), sums as (
        select coalesce(sum(e.usd), 0) as total,
               coalesce(sum(e.usd) filter (where e.steam_id = this.steam_id), 0) as player,
               string_agg(distinct coalesce(e.currency, '?'), ', ') filter (where e.currency is not null and e.usd is null) as unpriced
          from this left join exposed e on true
      )
      select this.usd::text as usd, sums.total::text as total, sums.player::text as player, sums.unpriced,
             ${caps.totalUsd}::numeric is null or sums.total + this.usd <= ${caps.totalUsd}::numeric as fits_total,
             ${caps.perPlayerUsd}::numeric is null or sums.player + this.usd <= ${caps.perPlayerUsd}::numeric as fits_player
        from this, sums`),
  );
  const usd = row?.usd ?? null;
  if (!caps.perPlayerUsd && !caps.totalUsd) return { usd, problem: null };
  if (!usd) {
    return {
      usd,
      problem: `no SkinsBack rate for ${deposit.amountCurrency ?? "this deposit's currency"}: its signed amount cannot be checked against the caps`,
    };
  }
  if (row?.unpriced) {
    return { usd, problem: `no SkinsBack rate for ${row.unpriced}: the exposure cannot be summed` };
  }
  const money = (amount: string) => formatMoney(amount, "usd");
  if (row && !row.fits_player && caps.perPlayerUsd) {
    return {
      usd,
      problem: `over the per-player cap of ${money(caps.perPlayerUsd)}: this player has ${money(row.player)} released early already, and this deposit is ${money(usd)}`,
    };
  }
  if (row && !row.fits_total && caps.totalUsd) {
    return {
      usd,
      problem: `over the total cap of ${money(caps.totalUsd)}: ${money(row.total)} is released early already, and this deposit is ${money(usd)}`,
    };
  }
  return { usd, problem: null };
}
