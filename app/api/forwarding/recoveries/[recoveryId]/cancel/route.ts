// Cancel a recovery: what it queued and is still waiting is failed again. Operators.

import { AppError } from "@/lib/errors/app-error";
import { cancelRecovery } from "@/lib/forwarding/actions";
import { withRoute } from "@/lib/route/with-route";

export const dynamic = "force-dynamic";

export const POST = withRoute<never, never, { recoveryId: string }>(
  {},
  async ({ db, params, actor, address }) => {
    if (!/^\d{1,15}$/.test(params.recoveryId)) throw new AppError("not_found", "no such recovery");
    return Response.json({
      stopped: await cancelRecovery(db, Number(params.recoveryId), { actor, address }),
    });
  },
);
