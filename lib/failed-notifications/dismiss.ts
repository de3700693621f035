import { and, eq, isNull, like, sql } from "drizzle-orm";
import { z } from "zod";
import { type AuditActor, recordAudit } from "@/lib/audit/audit-log";
import type { Db } from "@/lib/db/client";
import { consoleFailures, skinsbackFailures } from "@/lib/db/schema";
import { AppError } from "@/lib/errors/app-error";

/**
 * Dismissing a failed row: an operator says it needs nothing (a forged request, a test from the panel) and why.
 * The row is resolved as "dismissed by <who>: <why>" — shown on the screen, in the audit log, and undone by
 * "Undo dismiss", which opens it again. Nothing about the deposit changes.
 */

export const dismissSchema = z.strictObject({
  kind: z.enum(["skinsback", "delivery"]),
  id: z.number().int().positive(),
  /** A SkinsBack row's generation: a reopened failure is a new one, not the one dismissed. */
  generation: z.number().int().positive().default(1),
  reason: z.string().trim().min(3, "say why, in a few words").max(300),
});
export type DismissRequest = z.infer<typeof dismissSchema>;

const DISMISSED = "dismissed by ";

type By = { actor: AuditActor; label: string; address: string | null };
type Target = z.infer<typeof undismissSchema>;

export const undismissSchema = dismissSchema.omit({ reason: true });

export async function dismissFailure(
  db: Db,
  request: DismissRequest,
  by: By,
  now = new Date(),
): Promise<void> {
  const resolution = `${DISMISSED}${by.label}: ${request.reason}`;
  await changeResolution(db, request, by, {
    from: "open",
    set: { resolvedAt: now, resolution },
    action: "notification.dismiss",
    refused: "this row is not open: it was resolved or dismissed already",
    detail: { reason: request.reason, generation: request.generation },
  });
}

/** Opens a dismissed row again (only a dismissal is undone: a replay's or SkinsBack's resolution stays). */
export async function undismissFailure(db: Db, request: Target, by: By): Promise<void> {
  await changeResolution(db, request, by, {
    from: "dismissed",
    set: { resolvedAt: null, resolution: null },
    action: "notification.undismiss",
    refused: "this row is not dismissed",
    detail: { generation: request.generation },
  });
}

/**
 * One row's resolution changed, if it is in the state the change starts from (open, or dismissed), and the act
 * audited — in one transaction; a row in another state is a 409 that changes nothing.
 */
async function changeResolution(
  db: Db,
  target: Target,
  by: By,
  change: {
    /** The state the row must be in: open (to dismiss) or dismissed (to undo). */
    from: "open" | "dismissed";
    set: { resolvedAt: Date | null; resolution: string | null };
    action: "notification.dismiss" | "notification.undismiss";
    refused: string;
    detail: Record<string, unknown>;
  },
): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] =
      target.kind === "skinsback"
        ? await tx
            .update(skinsbackFailures)
            .set({
              ...change.set,
              resolvedListedCount: change.from === "open" ? sql`${skinsbackFailures.listedCount}` : null,
            })
            .where(
              and(
                eq(skinsbackFailures.id, target.id),
                eq(skinsbackFailures.generation, target.generation),
                change.from === "open"
                  ? isNull(skinsbackFailures.resolvedAt)
                  : like(skinsbackFailures.resolution, `${DISMISSED}%`),
              ),
            )
            .returning({ transactionId: skinsbackFailures.transactionId })
        : await tx
            .update(consoleFailures)
            .set(change.set)
            .where(
              and(
                eq(consoleFailures.deliveryId, target.id),
                change.from === "open"
                  ? isNull(consoleFailures.resolvedAt)
                  : like(consoleFailures.resolution, `${DISMISSED}%`),
              ),
            )
            .returning({ transactionId: consoleFailures.transactionId });
    if (!row) throw new AppError("conflict", change.refused);
    await recordAudit(tx, {
      actor: by.actor,
      action: change.action,
      outcome: "ok",
      target: { type: target.kind === "skinsback" ? "skinsback-failure" : "delivery", id: String(target.id) },
      transactionId: row.transactionId ?? undefined,
      address: by.address,
      detail: change.detail,
    });
  });
}

/** A resolution that an operator's dismissal wrote (the screen offers Undo for it). */
export const isDismissal = (resolution: string | null) => resolution?.startsWith(DISMISSED) ?? false;
