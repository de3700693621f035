// Liveness and readiness for load balancers: 200 once the database is open and migrated and the operators the start
// asks for exist (a sign-in let through is then never refused for an admin still being created), 503 otherwise.
// The answer says only what is down; the reason goes to the server log (it may name hosts, users or paths).
// Outside withRoute: load balancers ask it with no session, and it must answer even while the database is down.
import { startupOperatorsReady } from "@/lib/auth/startup";
import { getDatabase } from "@/lib/db";
import { getConfig } from "@/lib/env";
import { describeError } from "@/lib/errors/describe-error";
import { isShuttingDown } from "@/lib/http/server-requests";
import { withDeadline } from "@/lib/time/with-deadline";

export const dynamic = "force-dynamic";

export async function GET() {
  // A shutdown has begun (SIGTERM): out of the load balancer's rotation at once, while accepted requests finish.
  if (isShuttingDown()) return Response.json({ status: "shutting down" }, { status: 503 });
  try {
    const handle = await withDeadline(getDatabase(), 3000, "opening the database");
    await withDeadline(handle.ping(), 1500, "pinging the database");
    if (!(await withDeadline(startupOperatorsReady(handle.db, getConfig()), 1500, "reading operators"))) {
      return Response.json({ status: "starting", database: handle.kind }, { status: 503 });
    }
    return Response.json({ status: "ok", database: handle.kind });
  } catch (error) {
    console.error(`[health] database unavailable: ${describeError(error)}`);
    return Response.json({ status: "unavailable", database: "unreachable" }, { status: 503 });
  }
}
