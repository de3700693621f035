// CSV export of the deposit list's current filters (streamed, capped, formula cells neutralised; audited).
// POST, with the filters in the query: an export writes an audit entry, so it is never started by a GET — a
// cross-site page can make a browser navigate or prefetch, but not send a same-origin POST (the origin check).
import { recordAudit } from "@/lib/audit/audit-log";
import { EXPORT_ROW_CAP, exportDepositsCsv } from "@/lib/deposits/export";
import { depositFiltersSchema } from "@/lib/deposits/queries";
import { withRoute } from "@/lib/route/with-route";

export const dynamic = "force-dynamic";

export const POST = withRoute({ query: depositFiltersSchema }, async ({ db, query, actor, address }) => {
  const stream = exportDepositsCsv(db, query, (rows, capped) =>
    recordAudit(db, {
      actor,
      action: "deposit.export",
      outcome: "ok",
      address,
      detail: { rows, capped, cap: EXPORT_ROW_CAP, filters: query },
    }),
  );
  const day = new Date().toISOString().slice(0, 10);
  return new Response(stream, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="deposits-${day}.csv"`,
      "cache-control": "no-store",
      "x-row-cap": String(EXPORT_ROW_CAP),
    },
  });
});
