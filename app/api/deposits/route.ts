// Deposit list as JSON for the dashboard (the same query and parameters as the /deposits page).
import { getDatabase } from "@/lib/db";
import { depositListParamsSchema, listDeposits } from "@/lib/deposits/queries";
import { describeError } from "@/lib/http/describe-error";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const params = depositListParamsSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  try {
    const { db } = await getDatabase();
    return Response.json(await listDeposits(db, params));
  } catch (error) {
    console.error(`[api/deposits] ${describeError(error)}`);
    return Response.json({ error: "database unavailable" }, { status: 503 });
  }
}
