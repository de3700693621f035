// An operator chooses their own password (any role; the only route open to a one-time password). Other
// sessions of the operator end; this one stays.
import { isAPIError } from "better-auth/api";
import { and, eq, ne } from "drizzle-orm";
import { recordAudit } from "@/lib/audit/audit-log";
import { changePasswordInputSchema } from "@/lib/auth/operator-input";
import { getAuth } from "@/lib/auth/session";
import { operatorSessions, operators } from "@/lib/db/schema";
import { problem, withRoute } from "@/lib/http/with-route";

export const dynamic = "force-dynamic";

export const POST = withRoute(
  { body: changePasswordInputSchema },
  async ({ request, db, body, caller, actor, address }) => {
    if (caller.kind !== "operator") return problem(401, "sign in first");
    const me = caller.operator;
    if (body.currentPassword === body.newPassword) {
      return problem(400, "the new password must differ from the current one");
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
      return problem(
        400,
        error.message === "Invalid password" ? "the current password is wrong" : error.message,
      );
    }
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
