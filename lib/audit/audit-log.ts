import { and, desc, eq, gte, lt, lte, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { keysetPage } from "@/lib/db/keyset-page";
import { type AuditEvent, auditEvents } from "@/lib/db/schema";
import { transactionIdSchema } from "@/lib/skinsback/notification";

/**
 * The audit log: who did what, to which deposit, when, from which address, and how it ended. One row per act,
 * append-only (the database refuses UPDATE, DELETE and TRUNCATE: drizzle/0005). Writers call `recordAudit`;
 * nothing else writes the table.
 */

export type AuditActor =
  | { kind: "operator"; id: string; email: string }
  /** `id`/`name`: a key made at /settings/api-keys; neither: the bootstrap CONSOLE_API_KEY. */
  | { kind: "api-key"; id?: string; name?: string }
  | { kind: "anonymous"; email?: string }
  | { kind: "system" };

export type AuditOutcome = "ok" | "refused" | "failed";

/**
 * The caller as recorded with a SkinsBack call (api_calls.caller) and shown to people: an operator by email,
 * never by internal id; a job by its name (`job:<name>`, given where the job builds its client).
 */
/**
 * Who acted, as a person reads it (a `created_by`, a `revoked_by`, "already replayed by …"): an operator's email,
 * else the kind of actor. The one spelling of the idea; `callerLabel` adds the kind for the API call log.
 */
export function actorName(actor: AuditActor): string {
  return actor.kind === "operator" ? actor.email : actor.kind;
}

export function callerLabel(actor: AuditActor): string {
  if (actor.kind === "operator") return `operator:${actor.email}`;
  if (actor.kind === "api-key") return actor.name ? `api-key:${actor.name}` : "api-key";
  return actor.kind;
}

/** Every act the console records. */
export const AUDIT_ACTIONS = [
  "sign-in",
  "sign-in.failed",
  "sign-in.locked",
  "sign-out",
  "setup.first-admin",
  "operator.create",
  "operator.role",
  "operator.disable",
  "operator.enable",
  "password.change",
  "notification.replay",
  "notification.bulk-replay",
  "notification.bulk-cancel",
  "notification.dismiss",
  "notification.undismiss",
  "deposit.note",
  "failed-list.sync",
  "settings.change",
  "deposit.refresh",
  "deposit.export",
  "proxy.call",
  "hold.approve",
  "forwarding.endpoint-create",
  "forwarding.endpoint-update",
  "forwarding.endpoint-state",
  "forwarding.rotate-secret",
  "forwarding.resend",
  "forwarding.recover",
  "forwarding.test-event",
  "forwarding.retry-now",
  "sandbox.switch",
  "api-key.create",
  "api-key.revoke",
  "reconcile.run",
  "reconcile.decide",
  "reconcile.export",
  "alert.acknowledge",
  "alert.channel-create",
  "alert.channel-update",
  "alert.channel-delete",
  "alert.channel-test",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export type AuditEntry = {
  actor: AuditActor;
  action: AuditAction;
  outcome: AuditOutcome;
  target?: { type: string; id: string };
  transactionId?: string;
  address?: string | null;
  detail?: Record<string, unknown>;
};

export async function recordAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db.insert(auditEvents).values({
    actorKind: entry.actor.kind,
    actorId:
      entry.actor.kind === "operator" || entry.actor.kind === "api-key" ? (entry.actor.id ?? null) : null,
    actorEmail:
      entry.actor.kind === "operator" || entry.actor.kind === "anonymous"
        ? (entry.actor.email ?? null)
        : null,
    action: entry.action,
    outcome: entry.outcome,
    targetType: entry.target?.type ?? null,
    targetId: entry.target?.id ?? null,
    transactionId: entry.transactionId ?? null,
    address: entry.address ?? null,
    detail: entry.detail ?? {},
  });
}

export const auditFiltersSchema = z.object({
  action: z.enum(AUDIT_ACTIONS).optional(),
  actor: z.string().trim().toLowerCase().max(320).optional(),
  outcome: z.enum(["ok", "refused", "failed"]).optional(),
  transactionId: transactionIdSchema.optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  /** Keyset pagination: rows with an id below this one. */
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type AuditFilters = z.infer<typeof auditFiltersSchema>;

export async function listAuditEvents(
  db: Db,
  filters: AuditFilters,
): Promise<{ events: AuditEvent[]; nextBefore: number | null }> {
  const where: SQL[] = [];
  if (filters.action) where.push(eq(auditEvents.action, filters.action));
  if (filters.actor) where.push(eq(auditEvents.actorEmail, filters.actor));
  if (filters.outcome) where.push(eq(auditEvents.outcome, filters.outcome));
  if (filters.transactionId) where.push(eq(auditEvents.transactionId, filters.transactionId));
  if (filters.from) where.push(gte(auditEvents.at, new Date(`${filters.from}T00:00:00Z`)));
  if (filters.to) where.push(lte(auditEvents.at, new Date(`${filters.to}T23:59:59.999Z`)));
  if (filters.before) where.push(lt(auditEvents.id, filters.before));
  const rows = await db
    .select()
    .from(auditEvents)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(auditEvents.id))
    .limit(filters.limit + 1);
  const page = keysetPage(rows, filters.limit);
  return { events: page.rows, nextBefore: page.nextBefore };
}
