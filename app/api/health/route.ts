// Liveness and readiness for load balancers: 200 once the database is open and migrated, 503 otherwise.
import { getDatabase } from "@/lib/db";
import { describeError } from "@/lib/http/describe-error";
import { withDeadline } from "@/lib/http/with-deadline";

export const dynamic = "force-dynamic";

export async function GET() {
  try {
    const handle = await withDeadline(getDatabase(), 3000, "opening the database");
    await withDeadline(handle.ping(), 1500, "pinging the database");
    return Response.json({ status: "ok", database: handle.kind });
  } catch (error) {
    return Response.json({ status: "unavailable", error: describeError(error) }, { status: 503 });
  }
}
