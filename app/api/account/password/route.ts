// An operator chooses their own password (any role; the only route open to a one-time password). Other
// sessions of the operator end; this one stays. Checking the current password is a password guess like a sign-in:
// counted per operator in the same database limiter (10 in 15 minutes, then 429) and every refusal audited.
import { isAPIError } from "better-auth/api";
import { and, eq, ne } from "drizzle-orm";
import { recordAudit } from "@/lib/audit/audit-log";
import { changePasswordInputSchema } from "@/lib/auth/operator-input";
import { getAuth } from "@/lib/auth/session";
import { claimPasswordCheck, settlePasswordCheck } from "@/lib/auth/sign-in-throttle";
import { operatorSessions, operators } from "@/lib/db/schema";
import { AppError } from "@/lib/errors/app-error";
import { withRoute } from "@/lib/route/with-route";

export const dynamic = "force-dynamic";

export const POST = withRoute(
  { body: changePasswordInputSchema },
  async ({ request, db, body, caller, actor, address }) => {
    if (caller.kind !== "operator") throw new AppError("unauthorized", "sign in first");
    const me = caller.operator;
    if (body.currentPassword === body.newPassword) {
      throw new AppError("bad_request", "the new password must differ from the current one");
    }
    const check = await claimPasswordCheck(db, me.id);
    if (!check.allowed) {
      await recordAudit(db, {
        actor,
        action: "password.change",
        outcome: "refused",
        address,
        detail: { reason: "too many wrong current passwords", retryAfterSeconds: check.retryAfterSeconds },
      });
      throw new AppError("rate_limited", `Too many attempts, try again in ${check.retryAfterSeconds} s.`, {
        retryAfterSeconds: check.retryAfterSeconds,
      });
    }
    const auth = await getAuth();
    try {
      await auth.api.changePassword({
        body: {
          currentPassword: body.currentPassword,
          newPassword: body.newPassword,
          revokeOtherSessions: false,
        },
        headers: request.headers,
      });
    } catch (error) {
      if (!isAPIError(error)) throw error;
      await recordAudit(db, {
        actor,
        action: "password.change",
        outcome: "refused",
        address,
        detail: { reason: error.message },
      });
      throw new AppError(
        "bad_request",
        error.message === "Invalid password" ? "the current password is wrong" : error.message,
      );
    }
    await settlePasswordCheck(db, me.id);
    await db.transaction(async (tx) => {
      await tx
        .update(operators)
        .set({ mustChangePassword: false, updatedAt: new Date() })
        .where(eq(operators.id, me.id));
      await tx
        .delete(operatorSessions)
        .where(and(eq(operatorSessions.userId, me.id), ne(operatorSessions.id, me.sessionId)));
      await recordAudit(tx, { actor, action: "password.change", outcome: "ok", address });
    });
    return Response.json({ ok: true });
  },
);
