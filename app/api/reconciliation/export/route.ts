// CSV export of the differences for the current filters (every role; audited). A POST, as the deposit export:
// an export writes an audit entry, so no link, prefetch or cross-site page starts one.
import { recordAudit } from "@/lib/audit/audit-log";
import {
  DIFFERENCES_EXPORT_CAP,
  differenceFiltersSchema,
  differencesCsv,
} from "@/lib/reconciliation/differences";
import { withRoute } from "@/lib/route/with-route";

export const dynamic = "force-dynamic";

export const POST = withRoute(
  { query: differenceFiltersSchema.omit({ before: true }) },
  async ({ db, query, by }) => {
    const { csv, rows } = await differencesCsv(db, query);
    await recordAudit(db, {
      actor: by.actor,
      action: "reconcile.export",
      outcome: "ok",
      address: by.address,
      detail: { rows, cap: DIFFERENCES_EXPORT_CAP, filters: query },
    });
    const day = new Date().toISOString().slice(0, 10);
    return new Response(csv, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="reconciliation-${day}.csv"`,
        "cache-control": "no-store",
      },
    });
  },
);
