import { getTableColumns } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "@/lib/db/rows";
import { deposits, webhookDeliveries } from "@/lib/db/schema";
import { openTestDatabase, type TestDatabase } from "@/lib/testing/databases";

/**
 * The SQL function ingest_observation (drizzle/0013) copies the deposit's and the delivery's columns by name.
 * A column added to lib/db/schema.ts but not to the function would be silently dropped on every ingest: this
 * test reads the function as migrated and holds its column lists to the Drizzle schema.
 */

/** Deposit columns the function never takes from a notification, and why. */
const DEPOSIT_COLUMNS_NOT_INSERTED = {
  anomaly: "set only when a later observation conflicts (the UPDATE branches)",
} as const;
/** Deposit columns an applied observation does not overwrite, and why. */
const DEPOSIT_COLUMNS_NOT_UPDATED = {
  transaction_id: "the key the update is found by",
  created_at: "SkinsBack's creation time: fixed by the first observation",
  first_seen_at: "when the console first saw the deposit",
} as const;
/** Delivery columns the database fills. */
const DELIVERY_COLUMNS_NOT_INSERTED = {
  id: "identity",
  received_at: "defaults to now()",
  error: "an applied delivery has none",
} as const;

const names = (table: Parameters<typeof getTableColumns>[0]) =>
  Object.values(getTableColumns(table)).map((c) => (c as { name: string }).name);

/** The identifiers between `INSERT INTO <table> (` and the next `)`. */
function insertColumns(source: string, table: string): string[] {
  const match = new RegExp(`INSERT INTO ${table} \\(([^)]*)\\)`).exec(source);
  if (!match?.[1]) throw new Error(`no INSERT INTO ${table} in ingest_observation`);
  return match[1].split(",").map((c) => c.trim());
}

/** The columns assigned in `UPDATE deposits SET … WHERE transaction_id = p_transaction_id AND status`. */
function updatedDepositColumns(source: string): string[] {
  const match = /UPDATE deposits SET([\s\S]*?)WHERE transaction_id = p_transaction_id AND status/.exec(
    source,
  );
  if (!match?.[1]) throw new Error("no applied-observation UPDATE in ingest_observation");
  return [...match[1].matchAll(/^\s*([a-z_]+) =/gm)].map((m) => m[1] as string);
}

describe("ingest_observation copies every column the schema has", () => {
  let db: TestDatabase;
  let source: string;
  beforeAll(async () => {
    db = await openTestDatabase("pglite");
    const [row] = rowsOf<{ src: string }>(
      await db.handle.db.execute("select prosrc as src from pg_proc where proname = 'ingest_observation'"),
    );
    source = row?.src ?? "";
  });
  afterAll(async () => db?.drop());

  it("inserts every deposit column but the ones named here", () => {
    const expected = names(deposits).filter((c) => !(c in DEPOSIT_COLUMNS_NOT_INSERTED));
    expect(insertColumns(source, "deposits").sort()).toEqual(expected.sort());
  });

  it("an applied observation updates every deposit column but the ones named here", () => {
    const expected = names(deposits).filter((c) => !(c in DEPOSIT_COLUMNS_NOT_UPDATED));
    expect(updatedDepositColumns(source).sort()).toEqual(expected.sort());
  });

  it("inserts every delivery column but the ones the database fills", () => {
    const expected = names(webhookDeliveries).filter((c) => !(c in DELIVERY_COLUMNS_NOT_INSERTED));
    expect(insertColumns(source, "webhook_deliveries").sort()).toEqual(expected.sort());
  });
});
