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

export async function dismissFailure(
  db: Db,
  request: DismissRequest,
  by: By,
  now = new Date(),
): Promise<void> {
  const resolution = `${DISMISSED}${by.label}: ${request.reason}`;
  await db.transaction(async (tx) => {
    const transactionId =
      request.kind === "skinsback"
        ? (
            await tx
              .update(skinsbackFailures)
              .set({
                resolvedAt: now,
                resolution,
                resolvedListedCount: sql`${skinsbackFailures.listedCount}`,
              })
              .where(
                and(
                  eq(skinsbackFailures.id, request.id),
                  eq(skinsbackFailures.generation, request.generation),
                  isNull(skinsbackFailures.resolvedAt),
                ),
              )
              .returning({ transactionId: skinsbackFailures.transactionId })
          )[0]?.transactionId
        : (
            await tx
              .update(consoleFailures)
              .set({ resolvedAt: now, resolution })
              .where(and(eq(consoleFailures.deliveryId, request.id), isNull(consoleFailures.resolvedAt)))
              .returning({ transactionId: consoleFailures.transactionId })
          )[0]?.transactionId;
    if (transactionId === undefined) {
      throw new AppError("conflict", "this row is not open: it was resolved or dismissed already");
    }
    await recordAudit(tx, {
      actor: by.actor,
      action: "notification.dismiss",
      outcome: "ok",
      target: {
        type: request.kind === "skinsback" ? "skinsback-failure" : "delivery",
        id: String(request.id),
      },
      transactionId: transactionId ?? undefined,
      address: by.address,
      detail: { reason: request.reason, generation: request.generation },
    });
  });
}

export const undismissSchema = dismissSchema.omit({ reason: true });

/** Opens a dismissed row again (only a dismissal is undone: a replay's or SkinsBack's resolution stays). */
export async function undismissFailure(
  db: Db,
  request: z.infer<typeof undismissSchema>,
  by: By,
): Promise<void> {
  await db.transaction(async (tx) => {
    const transactionId =
      request.kind === "skinsback"
        ? (
            await tx
              .update(skinsbackFailures)
              .set({ resolvedAt: null, resolution: null, resolvedListedCount: null })
              .where(
                and(
                  eq(skinsbackFailures.id, request.id),
                  eq(skinsbackFailures.generation, request.generation),
                  like(skinsbackFailures.resolution, `${DISMISSED}%`),
                ),
              )
              .returning({ transactionId: skinsbackFailures.transactionId })
          )[0]?.transactionId
        : (
            await tx
              .update(consoleFailures)
              .set({ resolvedAt: null, resolution: null })
              .where(
                and(
                  eq(consoleFailures.deliveryId, request.id),
                  like(consoleFailures.resolution, `${DISMISSED}%`),
                ),
              )
              .returning({ transactionId: consoleFailures.transactionId })
          )[0]?.transactionId;
    if (transactionId === undefined) throw new AppError("conflict", "this row is not dismissed");
    await recordAudit(tx, {
      actor: by.actor,
      action: "notification.undismiss",
      outcome: "ok",
      target: {
        type: request.kind === "skinsback" ? "skinsback-failure" : "delivery",
        id: String(request.id),
      },
      transactionId: transactionId ?? undefined,
      address: by.address,
    });
  });
}

/** A resolution that an operator's dismissal wrote (the screen offers Undo for it). */
export const isDismissal = (resolution: string | null) => resolution?.startsWith(DISMISSED) ?? false;
