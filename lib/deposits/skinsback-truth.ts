import type { Db } from "@/lib/db/client";
import { zodIssues } from "@/lib/errors/app-error";
import type { SkinsbackClient } from "@/lib/skinsback/client";
import { type DepositFields, depositFieldsSchema } from "@/lib/skinsback/notification";
import { applyObservation, type ObservationResult, type ObservationSource } from "./apply-observation";

/**
 * A deposit's truth read from SkinsBack (`orderstatus` or an `orders` item, signed by us over our own channel:
 * verify-by-fetch) and applied through the same ingest function as a webhook. Used by replays of failed
 * notifications, an operator's "Refresh from SkinsBack", reconciliation and the watchdogs. SkinsBack's answers
 * carry fewer fields than a notification (no `user_risk`): absent fields never erase stored ones.
 */
export type TruthResult = { ok: true; observed: ObservationResult } | { ok: false; message: string };

export type TruthSource = Extract<ObservationSource, "replay" | "status_check" | "reconcile" | "watchdog">;

export async function applySkinsbackTruth(
  db: Db,
  client: SkinsbackClient,
  transactionId: string,
  source: TruthSource,
): Promise<TruthResult> {
  const answer = await client.call("orderstatus", { transaction_id: transactionId });
  return applyDepositObject(db, answer as Record<string, unknown>, source);
}

/** A deposit object as SkinsBack answered it, read as notification fields; a message when it cannot be read. */
export function readDepositObject(
  answer: Record<string, unknown>,
): { ok: true; fields: DepositFields; payload: Record<string, unknown> } | { ok: false; message: string } {
  // PHP senders write an absent field as "" or null: both mean "not given".
  const payload = Object.fromEntries(Object.entries(answer).filter(([, v]) => v !== null && v !== ""));
  const parsed = depositFieldsSchema.safeParse(payload);
  if (!parsed.success) {
    return {
      ok: false,
      message: `SkinsBack answered a deposit we cannot read: ${zodIssues(parsed.error).join("; ")}`,
    };
  }
  return { ok: true, fields: parsed.data, payload };
}

/** Applies a deposit object SkinsBack answered (orderstatus, or one item of orders). */
export async function applyDepositObject(
  db: Db,
  answer: Record<string, unknown>,
  source: TruthSource,
): Promise<TruthResult> {
  const read = readDepositObject(answer);
  if (!read.ok) return read;
  return {
    ok: true,
    observed: await applyObservation(db, { notification: read.fields, payload: read.payload, source }),
  };
}
