// The sandbox's player reverses an approved deposit's trade now (sandbox mode only): hold_approved → hold_returned.
import { z } from "zod";
import { problem, withRoute } from "@/lib/http/with-route";
import { reverseHold } from "@/lib/sandbox/engine";
import { getSandboxContext } from "@/lib/sandbox/runtime";

export const dynamic = "force-dynamic";

export const POST = withRoute(
  {
    body: z.strictObject({
      transactionId: z.string().regex(/^\d{1,15}$/, "must be a sandbox transaction id"),
    }),
  },
  async ({ body }) => {
    const reversed = await reverseHold(await getSandboxContext(), Number(body.transactionId), new Date());
    return reversed
      ? Response.json({ reversed: true })
      : problem(409, "only a deposit in hold_approved can be reversed");
  },
);
