// The audit log as JSON (admin only), newest first, with filters and keyset pages.
import { auditFiltersSchema, listAuditEvents } from "@/lib/audit/audit-log";
import { withRoute } from "@/lib/route/with-route";

export const dynamic = "force-dynamic";

export const GET = withRoute({ query: auditFiltersSchema }, async ({ db, query }) =>
  Response.json(await listAuditEvents(db, query)),
);
