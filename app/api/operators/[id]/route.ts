// One operator (admin only): change the role, or disable / enable. Never leaves the console without an admin.

import { changeOperatorInputSchema } from "@/lib/auth/operator-input";
import { changeOperatorRole, setOperatorDisabled } from "@/lib/auth/operators";
import { withRoute } from "@/lib/route/with-route";

export const dynamic = "force-dynamic";

export const PATCH = withRoute<typeof changeOperatorInputSchema, never, { id: string }>(
  { body: changeOperatorInputSchema },
  async ({ db, body, params, actor, address }) => {
    const by = { actor, address };
    const operator =
      body.role !== undefined
        ? await changeOperatorRole(db, params.id, body.role, by)
        : await setOperatorDisabled(db, params.id, body.disabled === true, by, {
            revokeApiKeys: body.revokeApiKeys,
          });
    return Response.json({ operator });
  },
);
