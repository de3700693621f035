// Operators (admin only, by the route policy): list and create. A new operator gets a one-time password that is
// answered once, here, for the admin to hand over; it is stored only as a hash.

import { createOperatorInputSchema } from "@/lib/auth/operator-input";
import { createOperator, generateOneTimePassword, listOperators } from "@/lib/auth/operators";
import { withRoute } from "@/lib/route/with-route";

export const dynamic = "force-dynamic";

export const GET = withRoute({}, async ({ db }) => Response.json({ operators: await listOperators(db) }));

export const POST = withRoute({ body: createOperatorInputSchema }, async ({ db, body, actor, address }) => {
  const password = generateOneTimePassword();
  const operator = await createOperator(
    db,
    { ...body, password, mustChangePassword: true },
    { actor, address },
  );
  return Response.json(
    { operator, oneTimePassword: password },
    { status: 201, headers: { "cache-control": "no-store" } },
  );
});
