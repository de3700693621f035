// One-click replay of one failed row (operator). Once per row: the others are told who replayed it and when.
import { z } from "zod";
import { callerLabel } from "@/lib/audit/audit-log";
import { AppError } from "@/lib/errors/app-error";
import { replayDeps } from "@/lib/failed-notifications/failed-loops";
import { replayFailure } from "@/lib/failed-notifications/replay";
import { withRoute } from "@/lib/route/with-route";

export const dynamic = "force-dynamic";

const body = z.strictObject({
  kind: z.enum(["skinsback", "delivery"]),
  id: z.number().int().positive(),
  /** Deliveries only: read SkinsBack's status instead of re-verifying the stored body. */
  method: z.enum(["orderstatus", "stored-body"]).optional(),
});

export const POST = withRoute({ body }, async ({ db, config, body, by }) => {
  // A full call budget (RateBudgetExhaustedError) is answered 429 with the wait by the wrapper.
  const result = await replayFailure(replayDeps(db, config, callerLabel(by.actor)), {
    target: { kind: body.kind, id: body.id },
    method: body.method,
    by,
  });
  if (result.result === "not-found") throw new AppError("not_found", "no such failed row");
  // "already" is an answer, not an error: the row was replayed, by someone else, and the body says who and when.
  return Response.json(result);
});
