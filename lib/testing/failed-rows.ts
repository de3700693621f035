import type { Db } from "@/lib/db/client";
import { skinsbackFailures } from "@/lib/db/schema";
import type { SandboxContext } from "@/lib/sandbox/engine";
import { createLiveDeposit } from "@/lib/sandbox/seed";

/**
 * `count` deposits made in the sandbox and listed in the console's copy of SkinsBack's failed list with
 * `httpCode`, as a sync would have listed them: the rows a replay (one or in bulk) starts from.
 */
export async function listFailedDeposits(
  sandbox: SandboxContext,
  consoleDb: Db,
  count: number,
  options: { httpCode?: string; at?: Date } = {},
): Promise<string[]> {
  const start = (options.at ?? new Date()).getTime();
  const rows = [];
  for (let i = 0; i < count; i++) {
    const d = await createLiveDeposit(sandbox, new Date(start + i));
    rows.push({
      transactionId: String(d.transactionId),
      orderId: d.orderId,
      httpCode: options.httpCode ?? "500",
      listedCount: 1,
    });
  }
  for (let i = 0; i < rows.length; i += 500)
    await consoleDb.insert(skinsbackFailures).values(rows.slice(i, i + 500));
  return rows.map((r) => r.transactionId);
}
