import { type AnyColumn, type SQL, sql } from "drizzle-orm";
import type { z } from "zod";

/**
 * Opaque keyset cursors: a row's sort keys as base64url JSON, handed to the client and read back only through a
 * schema, so a cursor the console did not make reads as "no cursor" (the first page), never as an error or a
 * query on foreign text.
 */
export function encodeCursor(keys: readonly (string | null)[]): string {
  return Buffer.from(JSON.stringify(keys)).toString("base64url");
}

export function decodeCursor<T>(text: string | undefined, schema: z.ZodType<T>): T | null {
  if (!text) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(text, "base64url").toString("utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * A timestamptz as UTC text at the database's own precision (microseconds). A keyset cursor must carry this, not
 * a JavaScript Date: a Date keeps milliseconds, so rows sharing a millisecond would be skipped or read twice.
 */
export function exactTime(column: SQL | AnyColumn): SQL<string> {
  return sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** What `exactTime` writes, as a cursor schema reads it back. */
export const EXACT_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/**
 * The rows past a cursor in a (time, id) order, compared as one row value at full precision: `direction` "desc"
 * for newest-first lists, "asc" for oldest-first walks.
 */
export function pastCursor(
  time: SQL | AnyColumn,
  id: SQL | AnyColumn,
  cursor: { time: string; id: string },
  direction: "asc" | "desc",
): SQL {
  return direction === "desc"
    ? sql`(${time}, ${id}) < (${cursor.time}::timestamptz, ${cursor.id})`
    : sql`(${time}, ${id}) > (${cursor.time}::timestamptz, ${cursor.id})`;
}
