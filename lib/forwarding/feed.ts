import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { rowsOf } from "@/lib/db/rows";
import { AppError } from "@/lib/errors/app-error";
import { DEPOSIT_EVENT_TYPES } from "./event-types";

/**
 * The event feed (`GET /api/v1/events`): every applied change and flag, in one order that never changes, for a
 * backend that cannot accept inbound requests. The same `data` as the standard format's messages.
 *
 * Order without gaps. Identity ids are handed out when a row is inserted, not when its transaction commits, so
 * "id > cursor" would skip a row whose transaction commits after a later id was read. The feed therefore orders
 * by (writing transaction id, id) and serves only rows whose transaction is older than the oldest one still
 * running (`pg_snapshot_xmin`): every transaction below that line has ended, so nothing can appear below a
 * cursor later. A long transaction delays the feed; it never reorders or loses a row.
 */

export const FEED_MAX_LIMIT = 500;

export const feedQuerySchema = z.strictObject({
  after: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(FEED_MAX_LIMIT).default(100),
  types: z
    .string()
    .max(500)
    .transform((v) =>
      v
        .split(",")
        .map((t) => t.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(DEPOSIT_EVENT_TYPES)))
    .optional(),
});
export type FeedQuery = z.infer<typeof feedQuerySchema>;

export type FeedEvent = { id: string; type: string; timestamp: string; data: Record<string, unknown> };
export type FeedPage = { data: FeedEvent[]; next_cursor: string | null; has_more: boolean };

type Position = { txid: string; id: string };

export function encodeCursor(p: Position): string {
  return Buffer.from(`${p.txid}.${p.id}`, "utf8").toString("base64url");
}

function decodeCursor(cursor: string): Position {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const match = /^(\d{1,20})\.(\d{1,20})$/.exec(text);
  if (!match) {
    throw new AppError("bad_request", "after is not a cursor this feed gave out", {
      details: { issues: ["after: must be a next_cursor from an earlier page"] },
    });
  }
  return { txid: match[1] as string, id: match[2] as string };
}

export async function readFeed(db: Db, query: FeedQuery): Promise<FeedPage> {
  const after = query.after ? decodeCursor(query.after) : undefined;
  const types = query.types && query.types.length > 0 ? query.types : null;
  const rows = rowsOf<{
    id: string;
    txid: string;
    type: string;
    created_at: Date | string;
    data: Record<string, unknown>;
  }>(
    await db.execute(sql`
      select c.id::text as id, c.txid::text as txid, c.type, c.created_at, c.data
        from deposit_changes c
       where c.txid < pg_snapshot_xmin(pg_current_snapshot())
         ${after ? sql`and (c.txid, c.id) > (${after.txid}::xid8, ${after.id}::bigint)` : sql``}
         ${types ? sql`and c.type = any(${`{${types.join(",")}}`}::text[])` : sql``}
       order by c.txid, c.id
       limit ${query.limit + 1}`),
  );
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    data: page.map((r) => ({
      id: `chg_${r.id}`,
      type: r.type,
      timestamp: new Date(r.created_at).toISOString(),
      data: r.data,
    })),
    next_cursor: last ? encodeCursor(last) : (query.after ?? null),
    has_more: rows.length > query.limit,
  };
}
