import { randomBytes, randomUUID } from "node:crypto";
import { hashPassword } from "better-auth/crypto";
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { type AuditActor, actorName, recordAudit } from "@/lib/audit/audit-log";
import type { Db } from "@/lib/db/client";
import {
  apiKeys,
  consoleSetup,
  type Operator,
  operatorAccounts,
  operatorSessions,
  operators,
} from "@/lib/db/schema";
import { AppError } from "@/lib/errors/app-error";
import type { OperatorRole } from "./roles";

/**
 * Operators as the console manages them: created by an admin (or at start), role changed, disabled. Sign-in,
 * sessions and password checks are better-auth's (lib/auth/auth.ts); the rows are written here directly so that
 * "the first admin" and "never the last admin" are decided inside one database transaction each.
 */

/** The sandbox's demo admin: created only in sandbox mode, shown on the sign-in page and in the terminal. */
export const SANDBOX_DEMO_ADMIN = {
  email: "admin@sandbox.test",
  password: "sandbox-demo-password",
  name: "Sandbox demo admin",
} as const;

/** A change to operators that the current state refuses (the email exists, no such operator…): a conflict. */
export class OperatorInputError extends AppError {
  override name = "OperatorInputError";
  constructor(message: string) {
    super("conflict", message);
  }
}
/** The act would leave the console without an active admin. */
export class LastAdminError extends OperatorInputError {
  override name = "LastAdminError";
}

export type OperatorSummary = Pick<
  Operator,
  "id" | "name" | "email" | "role" | "mustChangePassword" | "disabledAt" | "createdAt" | "updatedAt"
>;

const summaryColumns = {
  id: operators.id,
  name: operators.name,
  email: operators.email,
  role: operators.role,
  mustChangePassword: operators.mustChangePassword,
  disabledAt: operators.disabledAt,
  createdAt: operators.createdAt,
  updatedAt: operators.updatedAt,
};

/** A password to hand over once: 96 random bits, URL-safe. */
export function generateOneTimePassword(): string {
  return randomBytes(12).toString("base64url");
}

function isUniqueViolation(error: unknown, constraint?: string): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const e = current as { code?: unknown; constraint_name?: unknown; constraint?: unknown };
    if (e.code === "23505") {
      return !constraint || e.constraint_name === constraint || e.constraint === constraint;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

type NewOperator = {
  email: string;
  name: string;
  role: OperatorRole;
  password: string;
  /** A one-time password handed over by an admin: the operator must choose their own at first sign-in. */
  mustChangePassword?: boolean;
};

async function insertOperator(
  tx: Db,
  input: NewOperator,
  id: string = randomUUID(),
): Promise<OperatorSummary> {
  const now = new Date();
  const [row] = await tx
    .insert(operators)
    .values({
      id,
      email: input.email.toLowerCase(),
      name: input.name,
      role: input.role,
      mustChangePassword: input.mustChangePassword ?? false,
      createdAt: now,
      updatedAt: now,
    })
    .returning(summaryColumns);
  await tx.insert(operatorAccounts).values({
    id: randomUUID(),
    accountId: id,
    providerId: "credential",
    userId: id,
    password: await hashPassword(input.password),
    createdAt: now,
    updatedAt: now,
  });
  return row as OperatorSummary;
}

export async function createOperator(
  db: Db,
  input: NewOperator,
  by: { actor: AuditActor; address?: string | null },
): Promise<OperatorSummary> {
  try {
    return await db.transaction(async (tx) => {
      const created = await insertOperator(tx, input);
      await recordAudit(tx, {
        actor: by.actor,
        action: "operator.create",
        outcome: "ok",
        target: { type: "operator", id: created.id },
        address: by.address,
        detail: { email: created.email, role: created.role },
      });
      return created;
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new OperatorInputError(`an operator with the email ${input.email.toLowerCase()} already exists`);
    }
    throw error;
  }
}

export async function hasFirstAdmin(db: Db): Promise<boolean> {
  const rows = await db.select({ id: consoleSetup.firstAdminId }).from(consoleSetup).limit(1);
  return rows.length > 0;
}

/**
 * Creates the first admin, once for the life of the database: the admin and the single `console_setup` row are
 * written in one transaction, and the row's key can only be `true`, so of two concurrent calls exactly one
 * succeeds. Returns undefined when the first admin already exists.
 */
export async function claimFirstAdmin(
  db: Db,
  input: {
    email: string;
    name: string;
    password: string;
    via: "setup-page" | "environment" | "sandbox-demo";
  },
  address?: string | null,
): Promise<OperatorSummary | undefined> {
  try {
    return await db.transaction(async (tx) => {
      // Claimed first: a second claimant waits here on the first one's uncommitted row, then fails cleanly.
      const id = randomUUID();
      await tx.insert(consoleSetup).values({ firstAdminId: id, via: input.via });
      const admin = await insertOperator(tx, { ...input, role: "admin" }, id);
      await recordAudit(tx, {
        actor: input.via === "setup-page" ? { kind: "anonymous", email: admin.email } : { kind: "system" },
        action: "setup.first-admin",
        outcome: "ok",
        target: { type: "operator", id: admin.id },
        address,
        detail: { email: admin.email, via: input.via },
      });
      return admin;
    });
  } catch (error) {
    if (isUniqueViolation(error, "console_setup_pkey")) return undefined;
    throw error;
  }
}

export async function listOperators(db: Db): Promise<OperatorSummary[]> {
  return db.select(summaryColumns).from(operators).orderBy(asc(operators.createdAt), asc(operators.email));
}

export async function findOperatorByEmail(db: Db, email: string): Promise<OperatorSummary | undefined> {
  const [row] = await db
    .select(summaryColumns)
    .from(operators)
    .where(eq(operators.email, email.toLowerCase()));
  return row;
}

/**
 * Runs `change` on one operator with every active admin row locked, so that two admins demoting or disabling
 * each other at the same moment cannot both succeed and leave no admin.
 */
async function changeOperator(
  db: Db,
  id: string,
  change: (tx: Db, current: OperatorSummary, activeAdmins: number) => Promise<OperatorSummary>,
): Promise<OperatorSummary> {
  return db.transaction(async (tx) => {
    const admins = await tx
      .select({ id: operators.id })
      .from(operators)
      .where(and(eq(operators.role, "admin"), isNull(operators.disabledAt)))
      .orderBy(asc(operators.id))
      .for("update");
    const [current] = await tx
      .select(summaryColumns)
      .from(operators)
      .where(eq(operators.id, id))
      .for("update");
    if (!current) throw new OperatorInputError("no such operator");
    return change(tx, current, admins.length);
  });
}

const isActiveAdmin = (o: OperatorSummary) => o.role === "admin" && o.disabledAt === null;

export async function changeOperatorRole(
  db: Db,
  id: string,
  role: OperatorRole,
  by: { actor: AuditActor; address?: string | null },
): Promise<OperatorSummary> {
  return changeOperator(db, id, async (tx, current, activeAdmins) => {
    if (isActiveAdmin(current) && role !== "admin" && activeAdmins <= 1) {
      throw new LastAdminError("this is the last admin: make another operator admin first");
    }
    const [updated] = await tx
      .update(operators)
      .set({ role, updatedAt: new Date() })
      .where(eq(operators.id, id))
      .returning(summaryColumns);
    await recordAudit(tx, {
      actor: by.actor,
      action: "operator.role",
      outcome: "ok",
      target: { type: "operator", id },
      address: by.address,
      detail: { email: current.email, from: current.role, to: role },
    });
    return updated as OperatorSummary;
  });
}

/**
 * Disabling ends every session of the operator in the same transaction: their next request is refused. API keys
 * belong to the console, not to whoever made them, so they keep working unless `revokeApiKeys` asks to revoke the
 * ones this operator made (by their email, as `created_by` records it) in the same transaction.
 */
export async function setOperatorDisabled(
  db: Db,
  id: string,
  disabled: boolean,
  by: { actor: AuditActor; address?: string | null },
  options: { revokeApiKeys?: boolean } = {},
): Promise<OperatorSummary> {
  return changeOperator(db, id, async (tx, current, activeAdmins) => {
    if (disabled && isActiveAdmin(current) && activeAdmins <= 1) {
      throw new LastAdminError("this is the last admin: make another operator admin first");
    }
    const [updated] = await tx
      .update(operators)
      .set({
        disabledAt: disabled ? sql`coalesce(${operators.disabledAt}, now())` : null,
        updatedAt: new Date(),
      })
      .where(eq(operators.id, id))
      .returning(summaryColumns);
    let endedSessions = 0;
    if (disabled) {
      const ended = await tx.delete(operatorSessions).where(eq(operatorSessions.userId, id)).returning({
        id: operatorSessions.id,
      });
      endedSessions = ended.length;
    }
    let revokedApiKeys = 0;
    if (disabled && options.revokeApiKeys) {
      const revoked = await tx
        .update(apiKeys)
        .set({
          revokedAt: new Date(),
          revokedBy: actorName(by.actor),
        })
        .where(and(eq(apiKeys.createdBy, current.email), isNull(apiKeys.revokedAt)))
        .returning({ id: apiKeys.id });
      revokedApiKeys = revoked.length;
    }
    await recordAudit(tx, {
      actor: by.actor,
      action: disabled ? "operator.disable" : "operator.enable",
      outcome: "ok",
      target: { type: "operator", id },
      address: by.address,
      detail: { email: current.email, ...(disabled ? { endedSessions, revokedApiKeys } : {}) },
    });
    return updated as OperatorSummary;
  });
}
