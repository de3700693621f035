// The sandbox's player reverses an approved deposit's trade now (sandbox mode only): hold_approved → hold_returned.
import { z } from "zod";
import { AppError } from "@/lib/errors/app-error";
import { withRoute } from "@/lib/route/with-route";
import { reverseHold } from "@/lib/sandbox/engine";
import { getSandboxContext } from "@/lib/sandbox/sandbox-clock";

export const dynamic = "force-dynamic";

export const POST = withRoute(
  {
    body: z.strictObject({
      transactionId: z.string().regex(/^\d{1,15}$/, "must be a sandbox transaction id"),
    }),
  },
  async ({ body }) => {
    const reversed = await reverseHold(await getSandboxContext(), Number(body.transactionId), new Date());
    if (!reversed) throw new AppError("conflict", "only a deposit in hold_approved can be reversed");
    return Response.json({ reversed: true });
  },
);
