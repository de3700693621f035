import { and, asc, eq, gte, inArray, lte, sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { exactTime, pastCursor } from "@/lib/db/keyset-cursor";
import { deposits, type ReconcileRun, type ReconcileRunKind, reconcileRuns } from "@/lib/db/schema";
import { applyDepositObject, applySkinsbackTruth, readDepositObject } from "@/lib/deposits/skinsback-truth";
import { describeError } from "@/lib/errors/describe-error";
import { addDecimal } from "@/lib/money/decimal";
import type { SkinsbackClient } from "@/lib/skinsback/client";
import { SkinsBackApiError } from "@/lib/skinsback/errors";
import { compareDeposit, type DepositSide } from "./compare";
import { recordApplied, recordFlag, resolveAgreed, type Side } from "./differences";
import { type WalkCounters, walkOrders } from "./walk-orders";

/**
 * One reconciliation run: SkinsBack's `orders` over a window compared, deposit by deposit, with ours.
 *
 * - missing here, or ours behind SkinsBack's → applied through the ingest call (source `reconcile`), so the
 *   change is on the deposit's timeline and forwarded like any other;
 * - ours contradicts SkinsBack's, or the money differs → checked once more with `orderstatus` (the listing may be
 *   older than a notification that arrived meanwhile), then flagged, never overwritten;
 * - ours created in the window and not listed by SkinsBack → asked with `orderstatus`; not found there → flagged
 *   "unknown at SkinsBack" (a forgery or a test).
 *
 * The run is recorded (window, pages, calls, counts, totals per currency on both sides) whatever happens.
 */

export type ReconcileWindow = { start: Date; end: Date };

export type RunOptions = {
  kind: ReconcileRunKind;
  window: ReconcileWindow;
  requestedBy: string;
  /** At most this many deposits of ours are asked about one by one (`orderstatus`) per run. */
  maxUnknownChecks?: number;
};

const DEFAULT_MAX_UNKNOWN_CHECKS = 200;
const OURS_BATCH = 1_000;
/** Flags that agreement with SkinsBack settles (stuck is the watchdog's own). */
const SETTLED_BY_AGREEMENT = ["contradiction", "amount", "unknown_at_skinsback"] as const;

type OurRow = {
  transactionId: string;
  orderId: string;
  status: DepositSide["status"];
  amount: string | null;
  amountCurrency: string | null;
};

/** What a comparison reads of our deposit. */
const OUR_COLUMNS = {
  transactionId: deposits.transactionId,
  orderId: deposits.orderId,
  status: deposits.status,
  amount: deposits.amount,
  amountCurrency: deposits.amountCurrency,
};

const side = (s: DepositSide): Side => ({ status: s.status, amount: s.amount, currency: s.currency });

export async function runReconciliation(
  db: Db,
  client: SkinsbackClient,
  options: RunOptions,
): Promise<ReconcileRun> {
  const [run] = await db
    .insert(reconcileRuns)
    .values({
      kind: options.kind,
      windowStart: options.window.start,
      windowEnd: options.window.end,
      requestedBy: options.requestedBy,
    })
    .returning();
  if (!run) throw new Error("could not record the run");
  const counters: WalkCounters = { calls: 0, pages: 0, splits: 0 };
  const tally = { theirs: 0, ours: 0, applied: 0, flagged: 0 };
  const totals = { skinsback: {} as Record<string, string>, console: {} as Record<string, string> };
  const seen = new Set<string>();
  const finish = async (state: "ok" | "failed", error?: string) => {
    const [row] = await db
      .update(reconcileRuns)
      .set({
        state,
        error: error ?? null,
        finishedAt: sql`clock_timestamp()`,
        pages: counters.pages,
        calls: counters.calls,
        ...tally,
        totals,
      })
      .where(eq(reconcileRuns.id, run.id))
      .returning();
    return row as ReconcileRun;
  };
  const flag = async (found: Parameters<typeof recordFlag>[1]) => {
    await recordFlag(db, found);
    tally.flagged++;
  };

  try {
    const window = {
      start: Math.floor(options.window.start.getTime() / 1000),
      end: Math.ceil(options.window.end.getTime() / 1000),
    };
    for await (const items of walkOrders(client, window, counters)) {
      const fresh = [];
      for (const item of items) {
        const read = readDepositObject(item);
        if (!read.ok) throw new Error(read.message);
        if (seen.has(read.fields.transaction_id)) continue;
        seen.add(read.fields.transaction_id);
        fresh.push({ item, fields: read.fields });
      }
      tally.theirs += fresh.length;
      const ours = await loadOurs(
        db,
        fresh.map((f) => f.fields.transaction_id),
      );
      const agreed: string[] = [];
      for (const { item, fields } of fresh) {
        const theirs: DepositSide = {
          status: fields.status,
          amount: fields.amount ?? null,
          currency: fields.amount_currency ?? null,
        };
        if (theirs.status === "success" && theirs.amount && theirs.currency) {
          const currency = theirs.currency.toLowerCase();
          totals.skinsback[currency] = addDecimal(totals.skinsback[currency] ?? "0", theirs.amount);
        }
        const mine = ours.get(fields.transaction_id);
        const verdict = compareDeposit(mine && ourSide(mine), theirs);
        const base = {
          transactionId: fields.transaction_id,
          orderId: fields.order_id,
          ours: mine ? side(ourSide(mine)) : null,
          theirs: side(theirs),
          runId: run.id,
        };
        if (verdict.action === "agree") {
          agreed.push(fields.transaction_id);
          continue;
        }
        if (verdict.action === "apply") {
          const applied = await applyDepositObject(db, item, "reconcile");
          if (!applied.ok) throw new Error(applied.message);
          if (applied.observed.outcome === "applied") {
            tally.applied++;
            const from = applied.observed.previousStatus ?? "not known here";
            await recordApplied(
              db,
              { ...base, kind: verdict.kind, detail: `${from} → ${theirs.status}` },
              `applied by reconciliation run ${run.id}: ${from} → ${theirs.status}`,
            );
          }
          continue;
        }
        // A flag is confirmed with SkinsBack's own answer for this one deposit first: the listing may predate a
        // notification that has arrived since.
        const now = await applySkinsbackTruth(db, client, fields.transaction_id, "reconcile");
        counters.calls++;
        const recheck = await loadOurs(db, [fields.transaction_id]);
        const after = recheck.get(fields.transaction_id);
        const confirmed = now.ok ? compareDeposit(after && ourSide(after), theirs) : verdict;
        if (confirmed.action === "flag") {
          await flag({
            ...base,
            ours: after ? side(ourSide(after)) : base.ours,
            kind: confirmed.kind,
            detail: confirmed.detail,
          });
        } else {
          agreed.push(fields.transaction_id);
        }
      }
      await resolveAgreed(
        db,
        agreed,
        SETTLED_BY_AGREEMENT,
        `SkinsBack and the console agree (run ${run.id})`,
      );
    }

    await findUnknownAtSkinsback(db, client, options, run.id, seen, counters, tally, totals, flag);
    return await finish("ok");
  } catch (error) {
    return await finish("failed", describeError(error));
  }
}

/** Ours created in the window that SkinsBack did not list: each asked about with `orderstatus`. */
async function findUnknownAtSkinsback(
  db: Db,
  client: SkinsbackClient,
  options: RunOptions,
  runId: number,
  seen: Set<string>,
  counters: WalkCounters,
  tally: { ours: number; applied: number },
  totals: { console: Record<string, string> },
  flag: (found: Parameters<typeof recordFlag>[1]) => Promise<void>,
): Promise<void> {
  let checks = 0;
  const maxChecks = options.maxUnknownChecks ?? DEFAULT_MAX_UNKNOWN_CHECKS;
  let after: { time: string; id: string } | null = null;
  for (;;) {
    const rows: (OurRow & { cursorTime: string })[] = await db
      .select({ ...OUR_COLUMNS, cursorTime: exactTime(deposits.createdAt) })
      .from(deposits)
      .where(
        and(
          gte(deposits.createdAt, options.window.start),
          lte(deposits.createdAt, options.window.end),
          after ? pastCursor(deposits.createdAt, deposits.transactionId, after, "asc") : undefined,
        ),
      )
      .orderBy(asc(deposits.createdAt), asc(deposits.transactionId))
      .limit(OURS_BATCH);
    for (const row of rows) {
      tally.ours++;
      if (row.status === "success" && row.amount && row.amountCurrency) {
        const currency = row.amountCurrency.toLowerCase();
        totals.console[currency] = addDecimal(totals.console[currency] ?? "0", row.amount);
      }
      if (seen.has(row.transactionId)) continue;
      const base = {
        transactionId: row.transactionId,
        orderId: row.orderId,
        ours: side(ourSide(row)),
        theirs: null,
        runId,
        kind: "unknown_at_skinsback" as const,
      };
      if (checks >= maxChecks) {
        await flag({
          ...base,
          detail: "not in SkinsBack's orders for its day (not asked one by one: too many this run)",
        });
        continue;
      }
      checks++;
      counters.calls++;
      try {
        const answer = await applySkinsbackTruth(db, client, row.transactionId, "reconcile");
        if (answer.ok && answer.observed.outcome === "applied") tally.applied++;
        // Listed by orderstatus though not by orders (a boundary of the window): known at SkinsBack after all.
        if (answer.ok) continue;
        await flag({ ...base, detail: answer.message });
      } catch (error) {
        // A method error (transaction_not_found, invalid_transaction_id: an id SkinsBack would never issue) is
        // SkinsBack saying it has no such deposit; a standard error (negative: maintenance, the limit) ends the run.
        if (error instanceof SkinsBackApiError && error.skinsbackCode > 0) {
          await flag({
            ...base,
            detail: `SkinsBack does not know this deposit (orderstatus: ${error.errorMessage})`,
          });
          continue;
        }
        throw error;
      }
    }
    const last = rows.at(-1);
    if (!last || rows.length < OURS_BATCH) return;
    after = { time: last.cursorTime, id: last.transactionId };
  }
}

function ourSide(row: OurRow): DepositSide {
  return { status: row.status, amount: row.amount, currency: row.amountCurrency };
}

async function loadOurs(db: Db, transactionIds: string[]): Promise<Map<string, OurRow>> {
  if (transactionIds.length === 0) return new Map();
  const rows = await db
    .select(OUR_COLUMNS)
    .from(deposits)
    .where(inArray(deposits.transactionId, transactionIds));
  return new Map(rows.map((r) => [r.transactionId, r]));
}
