import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { type NewWebhookDelivery, webhookDeliveries } from "@/lib/db/schema";
import { clientAddress } from "@/lib/http/client-address";
import { describeError } from "@/lib/http/describe-error";
import { readLimitedBody } from "@/lib/http/read-limited-body";
import { redactHeaders } from "@/lib/http/redact-headers";
import { findUnstorableText, isDataException, storableText } from "@/lib/http/storable-text";
import { DeadlineExceededError, withDeadline } from "@/lib/http/with-deadline";
import { DEPOSIT_STATUSES, type DepositStatus } from "@/lib/skinsback/deposit-status";
import { MAX_NOTIFICATION_BYTES, validateNotification } from "@/lib/skinsback/notification";
import { sameHexDigest, verifySignedMessage, xSign } from "@/lib/skinsback/signature";
import {
  parseSignedMessageBody,
  SignedMessageBodyError,
  withExactNumbersAsText,
} from "@/lib/skinsback/signed-message";
import { AnswerGate } from "./answer-gate";
import { applyObservation } from "./apply-observation";
import { recordRejectedDelivery } from "./rejected-requests";

export type WebhookReceiverDeps = {
  /** Resolves to the open, migrated database; rejects while it cannot be reached. */
  getDb: () => Promise<Db>;
  credentials: { clientId: string; clientSecret: string };
  /** Proxies in front of the app that append to X-Forwarded-For (config TRUSTED_PROXY_COUNT). */
  trustedProxies?: number;
  /** How long the database may take before we answer 503 (SkinsBack then lists the notification as failed). */
  deadlineMs?: number;
  /**
   * An operator re-submits a stored delivery's own bytes (lib/failed-notifications/replay.ts): everything runs
   * exactly as for SkinsBack's request, and the new delivery and event are marked as a replay of the original.
   */
  replayOfDeliveryId?: number;
};

/** With the commit grace below, a 503 leaves within 1.5 s: inside the promised 2 s, with room for a busy machine. */
const DEFAULT_DEADLINE_MS = 1200;

type DeliveryDraft = Omit<
  NewWebhookDelivery,
  "outcome" | "httpStatus" | "transactionId" | "notificationStatus"
>;

/**
 * The Result URL: verify, record, apply, and only then answer 200.
 *
 * Every request is recorded in webhook_deliveries, rejected ones included. A valid notification is applied in one
 * transaction with its delivery record, so a 200 always means "stored"; duplicates, stale and conflicting
 * notifications are stored and answered 200 too, so SkinsBack does not list them as failed. Anything that
 * cannot be stored is answered 503, and SkinsBack keeps it in its failed-notification list.
 */
export async function receiveSkinsbackWebhook(
  deps: WebhookReceiverDeps,
  request: Request,
): Promise<Response> {
  const started = performance.now();
  const deadlineMs = deps.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const elapsed = () => Math.round(performance.now() - started);
  const { clientId, clientSecret } = deps.credentials;

  const body = await readLimitedBody(request, MAX_NOTIFICATION_BYTES);
  const xSignHeader = request.headers.get("x-sign");
  const draft: DeliveryDraft = {
    remoteAddress: clientAddress(request.headers, deps.trustedProxies ?? 0),
    headers: redactHeaders(request.headers),
    contentType: request.headers.get("content-type"),
    rawBody: body.bytes,
    bodyBytes: body.totalBytes,
    bodySha256: createHash("sha256").update(body.bytes).digest("hex"),
    bodyTruncated: body.tooLarge,
    signCheck: "not_checked",
    xSignCheck:
      xSignHeader === null
        ? "absent"
        : sameHexDigest(xSignHeader.trim(), xSign(clientId, clientSecret))
          ? "valid"
          : "invalid",
    durationMs: 0,
    replayOfDeliveryId: deps.replayOfDeliveryId ?? null,
  };

  const reject = async (
    httpStatus: 400 | 401 | 413,
    outcome: "invalid_payload" | "bad_signature" | "too_large",
    error: string,
    fields?: Record<string, unknown>,
  ): Promise<Response> => {
    const recorded = await recordDelivery(deps, deadlineMs, recordRejectedDelivery, {
      ...draft,
      outcome,
      httpStatus,
      error: storableText(error),
      transactionId: idFrom(fields?.transaction_id),
      notificationStatus: statusFrom(fields?.status),
      durationMs: elapsed(),
    });
    return recorded ? jsonError(httpStatus, error) : unavailable();
  };

  if (body.tooLarge) {
    return reject(
      413,
      "too_large",
      `body is ${body.totalBytes} bytes; the limit is ${MAX_NOTIFICATION_BYTES}`,
    );
  }

  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(body.bytes);
  } catch {
    return reject(400, "invalid_payload", "body is not valid UTF-8");
  }

  let parsed: ReturnType<typeof parseSignedMessageBody>;
  try {
    parsed = parseSignedMessageBody(text, draft.contentType ?? null);
  } catch (error) {
    if (error instanceof SignedMessageBodyError) return reject(400, "invalid_payload", error.message);
    throw error;
  }
  draft.encoding = parsed.encoding;
  // Checked before anything from the body is stored or compared: PostgreSQL cannot store these characters.
  const unstorable = findUnstorableText(parsed.fields);
  if (unstorable) {
    return reject(400, "invalid_payload", `${unstorable} contains a NUL character or invalid Unicode`);
  }

  const verdict = verifySignedMessage(parsed.fields, clientSecret);
  if (!verdict.ok) {
    draft.signCheck = verdict.reason === "missing" ? "missing" : "invalid";
    const error = verdict.reason === "missing" ? "sign is missing" : "sign does not match the notification";
    return reject(401, "bad_signature", error, parsed.fields);
  }
  draft.signCheck = "valid";
  draft.signVariant = verdict.variant;
  if (draft.xSignCheck === "invalid") {
    return reject(401, "bad_signature", "X-SIGN header does not match this project", parsed.fields);
  }

  const payload = withExactNumbersAsText(parsed.fields) as Record<string, unknown>;
  const validation = validateNotification(payload);
  if (!validation.ok) {
    return reject(
      400,
      "invalid_payload",
      `invalid notification: ${validation.errors.join("; ")}`,
      parsed.fields,
    );
  }

  const gate = new AnswerGate();
  const work = (async () => {
    const db = await deps.getDb();
    return applyObservation(db, {
      notification: validation.notification,
      payload,
      source: deps.replayOfDeliveryId === undefined ? "webhook" : "replay",
      delivery: { ...draft, durationMs: elapsed() },
      beforeSend: () => gate.enterSend(),
      // The deposit's row lock is waited for only as long as the answer can wait; past it nothing is written.
      lockTimeoutMs: Math.max(deadlineMs - elapsed() - 100, 50),
    });
  })();
  /** Logs and records (after answering, best effort: the database may be what is down) a 503. */
  const recordUnavailable = (error: unknown) => {
    console.error(
      `[webhook] could not store notification for transaction ${validation.notification.transaction_id} (answered 503 after ${elapsed()} ms): ${describeError(error)}`,
    );
    void recordDelivery(deps, 2_000, insertDelivery, {
      ...draft,
      outcome: "unavailable",
      httpStatus: 503,
      error: "the notification could not be stored; answered 503",
      transactionId: validation.notification.transaction_id,
      notificationStatus: validation.notification.status,
      durationMs: elapsed(),
    });
  };
  const storeFailed = async (error: unknown): Promise<Response> => {
    // A value the database refuses is bad input (answered 400 and recorded), not the database being down.
    if (isDataException(error)) {
      return reject(
        400,
        "invalid_payload",
        `a field cannot be stored: ${describeError(error)}`,
        parsed.fields,
      );
    }
    recordUnavailable(error);
    return unavailable();
  };
  const stored = (outcome: string) =>
    new Response("OK", {
      status: 200,
      headers: { "content-type": "text/plain; charset=utf-8", "x-outcome": outcome },
    });

  const first = await settleWithin(work, deadlineMs - elapsed());
  if (first.state === "done") return stored(first.value.outcome);
  if (first.state === "failed") return storeFailed(first.error);
  if (gate.timeOut()) {
    // Nothing was handed to the database: answer 503 now; the statement will never be sent.
    work.catch(() => {});
    return storeFailed(new DeadlineExceededError(`storing the notification took over ${deadlineMs} ms`));
  }
  // The statement was handed to the database before the deadline: its result decides, within a short grace.
  const late = await settleWithin(work, COMMIT_GRACE_MS);
  if (late.state === "done") return stored(late.value.outcome);
  if (late.state === "failed") return storeFailed(late.error);
  // Still in flight (the database hangs, or the driver holds the statement until it reconnects): answer 503 now,
  // and record the request once, when its fate is known — its own row corrected to 503 if it lands after all, a
  // 503 row if it fails.
  void work.then(
    (result) => markAnsweredUnavailable(deps, result.deliveryId, elapsed()),
    (error) => recordUnavailable(error),
  );
  return unavailable();
}

/** How long a commit that began before the deadline may take before the answer becomes 503 anyway. */
const COMMIT_GRACE_MS = 300;

type Settled<T> = { state: "done"; value: T } | { state: "failed"; error: unknown } | { state: "pending" };

/** Waits for `work` at most `ms`; never rejects. */
async function settleWithin<T>(work: Promise<T>, ms: number): Promise<Settled<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Settled<T>>((resolve) => {
    timer = setTimeout(() => resolve({ state: "pending" }), Math.max(ms, 0));
  });
  const settled = work.then(
    (value): Settled<T> => ({ state: "done", value }),
    (error): Settled<T> => ({ state: "failed", error }),
  );
  return Promise.race([settled, timeout]).finally(() => clearTimeout(timer));
}

/** A commit that landed after its request was answered 503: the row now tells what the sender saw. */
async function markAnsweredUnavailable(
  deps: WebhookReceiverDeps,
  deliveryId: number | undefined,
  ms: number,
) {
  if (deliveryId === undefined) return;
  try {
    const db = await deps.getDb();
    await db
      .update(webhookDeliveries)
      .set({
        httpStatus: 503,
        error: `stored, but the commit finished after ${ms} ms, when 503 had been answered`,
      })
      .where(eq(webhookDeliveries.id, deliveryId));
  } catch (error) {
    console.error(`[webhook] could not correct delivery ${deliveryId}: ${describeError(error)}`);
  }
}

const insertDelivery = async (db: Db, row: NewWebhookDelivery) => {
  await db.insert(webhookDeliveries).values(row);
};

/** Records a delivery the receiver did not apply; false when the database could not take it in time. */
async function recordDelivery(
  deps: WebhookReceiverDeps,
  deadlineMs: number,
  record: (db: Db, row: NewWebhookDelivery) => Promise<void>,
  row: NewWebhookDelivery,
): Promise<boolean> {
  try {
    await withDeadline(
      deps.getDb().then((db) => record(db, row)),
      deadlineMs,
      "recording the delivery",
    );
    return true;
  } catch (error) {
    console.error(`[webhook] could not record a ${row.httpStatus} delivery: ${describeError(error)}`);
    return false;
  }
}

function jsonError(status: number, error: string): Response {
  return Response.json({ error }, { status });
}

function unavailable(): Response {
  return Response.json(
    { error: "database unavailable; the notification was not stored, send it again later" },
    { status: 503, headers: { "retry-after": "5" } },
  );
}

/** Best-effort id of a rejected notification, so its deliveries can be found by transaction. */
function idFrom(value: unknown): string | null {
  const text = withExactNumbersAsText(value);
  return typeof text === "string" && text.length > 0 ? storableText(text.slice(0, 64)) : null;
}

function statusFrom(value: unknown): DepositStatus | null {
  return typeof value === "string" && (DEPOSIT_STATUSES as readonly string[]).includes(value)
    ? (value as DepositStatus)
    : null;
}
