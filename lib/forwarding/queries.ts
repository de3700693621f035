import { and, asc, desc, eq, gte, lt, lte, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { keysetPage } from "@/lib/db/keyset-page";
import { rowsOf } from "@/lib/db/rows";
import {
  depositChanges,
  FORWARD_MESSAGE_STATES,
  type ForwardAttempt,
  type ForwardMessage,
  forwardAttempts,
  forwardEndpoints,
  forwardMessages,
} from "@/lib/db/schema";
import { AppError } from "@/lib/errors/app-error";
import { REDACTED, SECRET_HEADERS } from "@/lib/security/secret-names";
import { transactionIdSchema } from "@/lib/skinsback/notification";
import { type EndpointView, endpointView, getEndpoint, listEndpoints } from "./endpoints";
import { DEPOSIT_EVENT_TYPES, TEST_EVENT_TYPE } from "./event-types";
import { buildRequest, webhookId } from "./message-request";
import { testEventData } from "./sender";

/** What the forwarding screens read: endpoint health, an endpoint's message log, one message, a deposit's forwards. */

export type EndpointHealth = {
  endpoint: EndpointView;
  /** Over the last 24 hours; null when nothing was attempted. */
  successRate: number | null;
  p50LatencyMs: number | null;
  attempts24h: number;
  backlog: number;
  oldestWaitingAt: string | null;
  lastError: { at: string; error: string } | null;
};

const DAY_MS = 86_400_000;

/** A backlog is counted up to this; past it the page says "10,000+" (a count must not read the whole backlog). */
export const BACKLOG_COUNTED_UP_TO = 10_000;
/** Success rate and p50 come from at most this many of the last day's attempts. */
const HEALTH_ATTEMPTS = 1_000;

export async function endpointHealth(db: Db, now = new Date()): Promise<EndpointHealth[]> {
  const endpoints = await listEndpoints(db);
  const since = new Date(now.getTime() - DAY_MS).toISOString();
  return Promise.all(
    endpoints.map(async (e) => {
      const [row] = rowsOf<{
        attempts: number;
        delivered: number;
        p50: string | number | null;
        backlog: number;
        oldest: Date | string | null;
        error_at: Date | string | null;
        error: string | null;
      }>(
        await db.execute(sql`
          select
            r.attempts, r.delivered, r.p50,
            (select count(*)::int from (select 1 from forward_messages m where m.endpoint_id = ${e.id} and m.state = 'waiting'
               limit ${BACKLOG_COUNTED_UP_TO + 1}) w) as backlog,
            (select min(m.created_at) from forward_messages m where m.endpoint_id = ${e.id} and m.state = 'waiting') as oldest,
            l.attempted_at as error_at, l.error
          from (
            -- The health of the last 24 hours, over its newest attempts at most: a page never reads a day of retries.
            select count(*)::int as attempts, (count(*) filter (where a.delivered))::int as delivered,
                   percentile_cont(0.5) within group (order by a.duration_ms) as p50
              from (select delivered, duration_ms from forward_attempts
                     where endpoint_id = ${e.id} and attempted_at >= ${since}::timestamptz
                     order by attempted_at desc limit ${HEALTH_ATTEMPTS}) a
          ) r
          left join lateral (
            select a.attempted_at, a.error from forward_attempts a
             where a.endpoint_id = ${e.id} and not a.delivered order by a.attempted_at desc limit 1
          ) l on true`),
      );
      const attempts = row?.attempts ?? 0;
      return {
        endpoint: endpointView(e, now),
        successRate: attempts > 0 ? (row?.delivered ?? 0) / attempts : null,
        p50LatencyMs: row?.p50 === null || row?.p50 === undefined ? null : Math.round(Number(row.p50)),
        attempts24h: attempts,
        backlog: row?.backlog ?? 0,
        oldestWaitingAt: row?.oldest ? new Date(row.oldest).toISOString() : null,
        lastError: row?.error_at
          ? { at: new Date(row.error_at).toISOString(), error: row.error ?? "" }
          : null,
      };
    }),
  );
}

export const messageFiltersSchema = z.object({
  state: z.enum(FORWARD_MESSAGE_STATES).optional(),
  type: z.enum([...DEPOSIT_EVENT_TYPES, TEST_EVENT_TYPE]).optional(),
  deposit: transactionIdSchema.optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type MessageFilters = z.infer<typeof messageFiltersSchema>;

export async function listMessages(
  db: Db,
  endpointId: string,
  filters: MessageFilters,
): Promise<{ messages: ForwardMessage[]; nextBefore: number | null }> {
  const where: SQL[] = [eq(forwardMessages.endpointId, endpointId)];
  if (filters.state) where.push(eq(forwardMessages.state, filters.state));
  if (filters.type) where.push(eq(forwardMessages.type, filters.type));
  if (filters.deposit) where.push(eq(forwardMessages.transactionId, filters.deposit));
  if (filters.from) where.push(gte(forwardMessages.createdAt, new Date(`${filters.from}T00:00:00Z`)));
  if (filters.to) where.push(lte(forwardMessages.createdAt, new Date(`${filters.to}T23:59:59.999Z`)));
  if (filters.before) where.push(lt(forwardMessages.id, filters.before));
  const rows = await db
    .select()
    .from(forwardMessages)
    .where(and(...where))
    .orderBy(desc(forwardMessages.id))
    .limit(filters.limit + 1);
  const page = keysetPage(rows, filters.limit);
  return { messages: page.rows, nextBefore: page.nextBefore };
}

export type MessageDetail = {
  message: ForwardMessage;
  endpoint: EndpointView;
  webhookId: string;
  /** The body as it is sent, and its headers with the signature left out. */
  body: string;
  headers: Record<string, string>;
  attempts: ForwardAttempt[];
};

/**
 * One message as it is sent. A drop-in body's `sign` is a valid SkinsBack signature (made with the project's
 * secret, or the endpoint's): only an admin (`revealSignature`) sees it; anyone else reads `[redacted]`.
 */
export async function getMessage(
  db: Db,
  messageId: number,
  project: { clientId: string; clientSecret: string },
  options: { revealSignature: boolean },
): Promise<MessageDetail> {
  const [message] = await db.select().from(forwardMessages).where(eq(forwardMessages.id, messageId));
  if (!message) throw new AppError("not_found", "no such message");
  const endpoint = await getEndpoint(db, message.endpointId);
  const [change] = message.changeId
    ? await db.select().from(depositChanges).where(eq(depositChanges.id, message.changeId))
    : [];
  const outgoing = {
    id: message.id,
    type: message.type,
    createdAt: change?.createdAt ?? message.createdAt,
    data: change?.data ?? testEventData(endpoint.name),
  };
  const { headers, body } = buildRequest(endpoint, outgoing, new Date(), project);
  const shown: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    shown[name] = SECRET_HEADERS.has(name) ? REDACTED : value;
  }
  const attempts = await db
    .select()
    .from(forwardAttempts)
    .where(eq(forwardAttempts.messageId, messageId))
    .orderBy(asc(forwardAttempts.id));
  return {
    message,
    endpoint: endpointView(endpoint),
    webhookId: webhookId(message.id),
    body: endpoint.format === "skinsback" && !options.revealSignature ? withoutSign(body) : body,
    headers: shown,
    attempts,
  };
}

/** A drop-in body with its `sign` replaced by REDACTED, JSON or form as it was. */
function withoutSign(body: string): string {
  if (body.startsWith("{")) return body.replace(/"sign":"[0-9a-f]+"/, `"sign":"${REDACTED}"`);
  const form = new URLSearchParams(body);
  if (form.has("sign")) form.set("sign", REDACTED);
  return form.toString();
}

export type DepositForward = ForwardMessage & { endpointName: string; attemptCount: number };

/** A deposit's forwarded messages, for its timeline, oldest first. */
export async function forwardsOfDeposit(db: Db, transactionId: string): Promise<DepositForward[]> {
  const rows = await db
    .select({
      message: forwardMessages,
      endpointName: forwardEndpoints.name,
      attemptCount: sql<number>`(select count(*)::int from forward_attempts a where a.message_id = ${forwardMessages.id})`,
    })
    .from(forwardMessages)
    .innerJoin(forwardEndpoints, eq(forwardEndpoints.id, forwardMessages.endpointId))
    .where(eq(forwardMessages.transactionId, transactionId))
    .orderBy(asc(forwardMessages.id))
    .limit(500);
  return rows.map((r) => ({ ...r.message, endpointName: r.endpointName, attemptCount: r.attemptCount }));
}
