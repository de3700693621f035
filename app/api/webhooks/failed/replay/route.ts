// One-click replay of one failed row (operator). Once per row: the others are told who replayed it and when.
import { z } from "zod";
import { replayFailure } from "@/lib/failed-notifications/replay";
import { replayDeps } from "@/lib/failed-notifications/runtime";
import { problem, withRoute } from "@/lib/http/with-route";
import { RateBudgetExhaustedError } from "@/lib/skinsback/errors";

export const dynamic = "force-dynamic";

const body = z.strictObject({
  kind: z.enum(["skinsback", "delivery"]),
  id: z.number().int().positive(),
  /** Deliveries only: read SkinsBack's status instead of re-verifying the stored body. */
  method: z.enum(["orderstatus", "stored-body"]).optional(),
});

export const POST = withRoute({ body }, async ({ db, config, body, caller, actor, address }) => {
  const label = caller.kind === "operator" ? caller.operator.email : caller.kind;
  try {
    const result = await replayFailure(replayDeps(db, config, `operator:${label}`), {
      target: { kind: body.kind, id: body.id },
      method: body.method,
      by: { actor, label, address },
    });
    if (result.result === "not-found") return problem(404, "no such failed row");
    // "already" is an answer, not an error: the row was replayed, by someone else, and the body says who and when.
    return Response.json(result);
  } catch (error) {
    if (error instanceof RateBudgetExhaustedError) {
      return problem(
        429,
        `SkinsBack's call budget is full; try again in ${error.retryAfterSeconds} s`,
        {},
        { "retry-after": String(error.retryAfterSeconds) },
      );
    }
    throw error;
  }
});
