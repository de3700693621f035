import { and, desc, eq, getTableColumns, gte, lt, lte, type SQL, sql } from "drizzle-orm";
import { parse as losslessParse, stringify as losslessStringify } from "lossless-json";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { keysetPage } from "@/lib/db/keyset-page";
import { deliveryOutcomeEnum, type WebhookDelivery, webhookDeliveries } from "@/lib/db/schema";
import { transactionIdSchema } from "@/lib/skinsback/notification";

/** The raw delivery log: every inbound request to the Result URL, newest first, with keyset pages. */

export const DELIVERY_OUTCOMES = deliveryOutcomeEnum.enumValues;

export const deliveryFiltersSchema = z.object({
  outcome: z.enum(DELIVERY_OUTCOMES).optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  transactionId: transactionIdSchema.optional(),
  before: z.coerce.number().int().positive().optional(),
  /** Text the stored body contains (an order id, a Steam id, a field), among the newest BODY_SEARCH_WINDOW. */
  text: z.string().trim().min(3, "at least 3 characters").max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/**
 * Searching inside bodies reads bytes, not an index: it covers the newest this many requests (the newest few
 * days on a busy shop), so a search costs the same at a million deliveries as at a thousand.
 */
export const BODY_SEARCH_WINDOW = 10_000;
export type DeliveryFilters = z.infer<typeof deliveryFiltersSchema>;

/** What the list shows; the body and headers are read on the delivery's own page. */
export type DeliverySummary = Omit<WebhookDelivery, "rawBody" | "headers">;

const { rawBody: _rawBody, headers: _headers, ...summaryColumns } = getTableColumns(webhookDeliveries);

export async function listDeliveries(
  db: Db,
  filters: DeliveryFilters,
): Promise<{ deliveries: DeliverySummary[]; nextBefore: number | null }> {
  const where: SQL[] = [];
  if (filters.outcome) where.push(eq(webhookDeliveries.outcome, filters.outcome));
  if (filters.transactionId) where.push(eq(webhookDeliveries.transactionId, filters.transactionId));
  if (filters.from) where.push(gte(webhookDeliveries.receivedAt, new Date(`${filters.from}T00:00:00Z`)));
  if (filters.to) where.push(lte(webhookDeliveries.receivedAt, new Date(`${filters.to}T23:59:59.999Z`)));
  if (filters.before) where.push(lt(webhookDeliveries.id, filters.before));
  if (filters.text) {
    where.push(
      sql`${webhookDeliveries.id} >= coalesce((select id from webhook_deliveries order by id desc
                                                offset ${BODY_SEARCH_WINDOW - 1} limit 1), 0)`,
      sql`position(convert_to(${filters.text}, 'UTF8') in ${webhookDeliveries.rawBody}) > 0`,
    );
  }
  const rows = await db
    .select(summaryColumns)
    .from(webhookDeliveries)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(webhookDeliveries.id))
    .limit(filters.limit + 1);
  const page = keysetPage(rows, filters.limit);
  return { deliveries: page.rows, nextBefore: page.nextBefore };
}

export async function getDelivery(db: Db, id: number): Promise<WebhookDelivery | undefined> {
  const [row] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id));
  return row;
}

/** The stored bytes as text when they are UTF-8, else as hex (a body may hold anything). */
export function bodyAsText(bytes: Uint8Array): { kind: "text" | "hex"; text: string } {
  try {
    return { kind: "text", text: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
  } catch {
    return {
      kind: "hex",
      text: Buffer.from(bytes)
        .toString("hex")
        .replace(/(.{2})/g, "$1 ")
        .trim(),
    };
  }
}

/**
 * The body laid out for reading, or null when it is neither JSON nor a form: JSON indented, numbers exactly as
 * sent (lossless-json); a form as one `name = value` line per field, decoded. The raw bytes stay the record.
 */
export function prettyBody(text: string, contentType: string | null): string | null {
  const trimmed = text.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return losslessStringify(losslessParse(trimmed), undefined, 2) ?? null;
    } catch {
      return null;
    }
  }
  if (contentType?.includes("x-www-form-urlencoded") || /^[^=&\s]+=[^&]*(&[^=&\s]+=[^&]*)*$/.test(trimmed)) {
    const lines = [...new URLSearchParams(trimmed)].map(([name, value]) => `${name} = ${value}`);
    return lines.length > 0 ? lines.join("\n") : null;
  }
  return null;
}
