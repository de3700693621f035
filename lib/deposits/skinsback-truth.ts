import type { Db } from "@/lib/db/client";
import { zodIssues } from "@/lib/errors/app-error";
import type { SkinsbackClient } from "@/lib/skinsback/client";
import { depositFieldsSchema } from "@/lib/skinsback/notification";
import { applyObservation, type ObservationResult, type ObservationSource } from "./apply-observation";

/**
 * A deposit's truth read from SkinsBack (`orderstatus`, signed by us over our own channel: verify-by-fetch) and
 * applied through the same ingest function as a webhook. Used by replays of failed notifications and by an
 * operator's "Refresh from SkinsBack". `orderstatus` answers fewer fields than a notification (no `user_risk`):
 * absent fields never erase stored ones.
 */
export type TruthResult = { ok: true; observed: ObservationResult } | { ok: false; message: string };

export async function applySkinsbackTruth(
  db: Db,
  client: SkinsbackClient,
  transactionId: string,
  source: Extract<ObservationSource, "replay" | "status_check">,
): Promise<TruthResult> {
  const answer = await client.call("orderstatus", { transaction_id: transactionId });
  // PHP senders write an absent field as "" or null: both mean "not given".
  const payload = Object.fromEntries(
    Object.entries(answer as Record<string, unknown>).filter(([, v]) => v !== null && v !== ""),
  );
  const parsed = depositFieldsSchema.safeParse(payload);
  if (!parsed.success) {
    const issues = zodIssues(parsed.error).join("; ");
    return { ok: false, message: `orderstatus answered a deposit we cannot read: ${issues}` };
  }
  return { ok: true, observed: await applyObservation(db, { notification: parsed.data, payload, source }) };
}
