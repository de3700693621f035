// Cancel the running bulk replay (operator); the rows not reached stay open.
import { z } from "zod";
import { AppError } from "@/lib/errors/app-error";
import { requestBulkCancel } from "@/lib/failed-notifications/bulk";
import { bulkView } from "@/lib/failed-notifications/screen";
import { withRoute } from "@/lib/route/with-route";

export const dynamic = "force-dynamic";

export const POST = withRoute({ body: z.strictObject({ id: z.number().int().positive() }) }, async (ctx) => {
  const job = await requestBulkCancel(ctx.db, ctx.body.id, ctx.by);
  if (!job) throw new AppError("conflict", "that bulk replay is not running");
  return Response.json({ bulk: bulkView(job) });
});
