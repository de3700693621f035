import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from "@/lib/testing/databases";
import { BODY_SEARCH_WINDOW, deliveryFiltersSchema, listDeliveries } from "./delivery-log";

describe.each(TEST_DATABASE_KINDS)("the delivery log's search in bodies (%s)", (kind) => {
  let database: TestDatabase;
  const db = () => database.handle.db;
  const insert = (body: string, count = 1) =>
    db().execute(sql`
      insert into webhook_deliveries (headers, raw_body, body_bytes, sign_check, x_sign_check, outcome, http_status,
                                      duration_ms)
      select '{}', convert_to(${body}, 'UTF8'), 10, 'valid', 'absent', 'applied', 200, 1
        from generate_series(1, ${count})`);

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await insert('{"order_id":"shop-order-7781","status":"success"}');
    // The window's worth of newer requests pushes it out of the search.
    await insert('{"order_id":"other","status":"success"}', BODY_SEARCH_WINDOW);
    await insert('{"order_id":"shop-order-7782","status":"pending"}');
  });
  afterAll(async () => {
    await database?.drop();
  });

  const found = async (text: string) =>
    (await listDeliveries(db(), deliveryFiltersSchema.parse({ text }))).deliveries.length;

  it("finds text inside the newest bodies, and says nothing of older ones rather than scanning them all", async () => {
    expect(await found("shop-order-7782")).toBe(1);
    expect(await found("shop-order-778")).toBe(1);
    expect(await found("shop-order-7781")).toBe(0);
  });

  it("a search shorter than 3 characters is refused, naming the field", () => {
    const parsed = deliveryFiltersSchema.safeParse({ text: "ab" });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(["text"]);
  });
});
