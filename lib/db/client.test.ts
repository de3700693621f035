import { describe, expect, it } from "vitest";
import { createPostgresDatabase } from "@/lib/testing/databases";
import { migrateDatabase, openPostgres } from "./client";
import { deposits } from "./schema";

describe("migrations on PostgreSQL", () => {
  it("three instances starting at once take turns: all succeed, the schema exists once", async () => {
    const created = await createPostgresDatabase();
    const handles = [1, 2, 3].map(() => openPostgres(created.url, { maxConnections: 2 }));
    try {
      await Promise.all(handles.map((h) => migrateDatabase({ kind: "postgres", url: created.url }, h)));
      const [first] = handles;
      expect(await first?.db.$count(deposits)).toBe(0);
      // A later start finds nothing to do.
      await migrateDatabase({ kind: "postgres", url: created.url }, first as NonNullable<typeof first>);
    } finally {
      await Promise.all(handles.map((h) => h.close()));
      await created.drop();
    }
  });
});
