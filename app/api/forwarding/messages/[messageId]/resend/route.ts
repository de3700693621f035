// Resend one message (same webhook-id, same body); a message already waiting is not queued twice. Operators.

import { AppError } from "@/lib/errors/app-error";
import { resendMessage } from "@/lib/forwarding/actions";
import { wakeForwarder } from "@/lib/forwarding/forwarding-loop";
import { withRoute } from "@/lib/route/with-route";

export const dynamic = "force-dynamic";

export const POST = withRoute<never, never, { messageId: string }>(
  {},
  async ({ db, params, actor, address }) => {
    if (!/^\d{1,15}$/.test(params.messageId)) throw new AppError("not_found", "no such message");
    const result = await resendMessage(db, Number(params.messageId), { actor, address });
    if (result.queued) wakeForwarder();
    return Response.json(result);
  },
);
