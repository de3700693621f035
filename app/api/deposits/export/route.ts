// CSV export of the deposit list's current filters (streamed, capped, formula cells neutralised; audited).
import { recordAudit } from "@/lib/audit/audit-log";
import { EXPORT_ROW_CAP, exportDepositsCsv } from "@/lib/deposits/export";
import { depositFiltersSchema } from "@/lib/deposits/queries";
import { withRoute } from "@/lib/http/with-route";

export const dynamic = "force-dynamic";

export const GET = withRoute({ query: depositFiltersSchema }, async ({ db, query, actor, address }) => {
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
