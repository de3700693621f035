// First run: creates the first admin, once. 404 for good once an admin exists (the database decides, even when
// two people submit at the same moment: lib/auth/operators.ts claimFirstAdmin).

import { setupInputSchema } from "@/lib/auth/operator-input";
import { claimFirstAdmin } from "@/lib/auth/operators";
import { AppError } from "@/lib/errors/app-error";
import { withRoute } from "@/lib/route/with-route";

export const dynamic = "force-dynamic";

export const POST = withRoute({ body: setupInputSchema }, async ({ db, body, address }) => {
  const admin = await claimFirstAdmin(db, { ...body, via: "setup-page" }, address);
  if (!admin) throw new AppError("not_found", "the console is already set up: sign in instead");
  return Response.json({ ok: true, email: admin.email }, { status: 201 });
});
