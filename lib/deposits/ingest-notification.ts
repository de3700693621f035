import { createHash } from "node:crypto";
import type { Db } from "@/lib/db/client";
import type { NewWebhookDelivery } from "@/lib/db/schema";
import { describeError } from "@/lib/errors/describe-error";
import type { DepositStatus } from "@/lib/skinsback/deposit-status";
import {
  findOversizedUnsignedBlock,
  MAX_NOTIFICATION_BYTES,
  validateNotification,
} from "@/lib/skinsback/notification";
import {
  findAmbiguousSignedField,
  sameHexDigest,
  verifySignedMessage,
  xSign,
} from "@/lib/skinsback/signature";
import {
  parseSignedMessageBody,
  SignedMessageBodyError,
  withExactNumbersAsText,
} from "@/lib/skinsback/signed-message";
import { findUnstorableText, isDataException, storableText } from "@/lib/text/storable-text";
import { DeadlineExceededError } from "@/lib/time/with-deadline";
import { AnswerGate } from "./answer-gate";
import { applyObservation } from "./apply-observation";
import {
  idFrom,
  insertDelivery,
  markAnsweredUnavailable,
  recordDelivery,
  statusFrom,
} from "./delivery-record";
import { recordRejectedDelivery } from "./rejected-requests";
import { settleWithin } from "./settle-within";
import type { ObservationOutcome } from "./status-machine";

export type IngestDeps = {
  /** Resolves to the open, migrated database; rejects while it cannot be reached. */
  getDb: () => Promise<Db>;
  credentials: { clientId: string; clientSecret: string };
  /** How long the database may take before the answer is "unavailable" (the HTTP adapter then answers 503). */
  deadlineMs?: number;
  /**
   * Receives the work that goes on after the answer (recording a 503, correcting a late commit's row). Tests
   * await it instead of sleeping; the server leaves it unset and the work runs on its own.
   */
  afterAnswer?: (work: Promise<unknown>) => void;
};

/** One notification as it reached us: its bytes (at most the limit) and what the request said about them. */
export type IngestInput = {
  body: Uint8Array;
  /** The size the sender sent or declared; over `MAX_NOTIFICATION_BYTES` means `body` holds only the first bytes. */
  totalBytes: number;
  contentType: string | null;
  xSignHeader: string | null;
  remoteAddress: string | null;
  /** Already redacted: credentials are never stored. */
  headers: Record<string, string>;
  /** An operator re-submits a stored delivery's own bytes: the new delivery and event are marked as its replay. */
  replayOfDeliveryId?: number;
};

export type RefusedOutcome = "invalid_payload" | "bad_signature" | "too_large";

/**
 * What became of one notification. `stored` means the event, the deposit change and the delivery row are
 * committed (a duplicate, stale or conflicting notification is stored too); `refused` means nothing about the
 * deposit moved; `unavailable` means it could not be stored in time and the sender must send it again.
 */
export type IngestResult =
  | {
      kind: "stored";
      outcome: ObservationOutcome;
      transactionId: string;
      /** null: the deposit did not exist before this notification. */
      previousStatus: DepositStatus | null;
      /** The status the notification carried (the deposit's status when `outcome` is "applied"). */
      newStatus: DepositStatus;
      eventId: number;
      deliveryId: number;
    }
  | {
      kind: "refused";
      httpStatus: 400 | 401 | 413;
      outcome: RefusedOutcome;
      error: string;
      transactionId: string | null;
      /** The delivery row, when the refusal got one (floods are counted, not all stored), or null. */
      deliveryId: number | null;
      /** False when even the refusal could not be recorded in time (the adapter answers 503). */
      recorded: boolean;
    }
  | { kind: "unavailable"; error: string; transactionId: string | null };

/** With the commit grace below, an "unavailable" answer leaves within 1.5 s: inside the promised 2 s. */
const DEFAULT_DEADLINE_MS = 1200;

/** How long a commit that began before the deadline may take before the answer becomes "unavailable" anyway. */
const COMMIT_GRACE_MS = 300;

type DeliveryDraft = Omit<
  NewWebhookDelivery,
  "outcome" | "httpStatus" | "transactionId" | "notificationStatus"
>;

/**
 * Verify, record, apply: the one ingest path for SkinsBack's requests and for operators' replays of stored bodies.
 *
 * Every call is recorded in webhook_deliveries, refused ones included (within the flood caps of
 * rejected-requests.ts). A valid notification is applied in one transaction with its delivery record, so
 * `stored` always means committed. Anything that cannot be stored within the deadline is `unavailable`, and is
 * recorded afterwards, best effort, once its fate is known.
 */
export async function ingestNotification(deps: IngestDeps, input: IngestInput): Promise<IngestResult> {
  const started = performance.now();
  const deadlineMs = deps.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const elapsed = () => Math.round(performance.now() - started);
  const { clientId, clientSecret } = deps.credentials;
  const tooLarge = input.totalBytes > MAX_NOTIFICATION_BYTES;

  const draft: DeliveryDraft = {
    remoteAddress: input.remoteAddress,
    headers: input.headers,
    contentType: input.contentType,
    rawBody: input.body,
    bodyBytes: input.totalBytes,
    bodySha256: createHash("sha256").update(input.body).digest("hex"),
    bodyTruncated: tooLarge,
    signCheck: "not_checked",
    xSignCheck:
      input.xSignHeader === null
        ? "absent"
        : sameHexDigest(input.xSignHeader.trim(), xSign(clientId, clientSecret))
          ? "valid"
          : "invalid",
    durationMs: 0,
    replayOfDeliveryId: input.replayOfDeliveryId ?? null,
  };

  const refuse = async (
    httpStatus: 400 | 401 | 413,
    outcome: RefusedOutcome,
    error: string,
    fields?: Record<string, unknown>,
  ): Promise<IngestResult> => {
    const transactionId = idFrom(fields?.transaction_id);
    const recorded = await recordDelivery(deps.getDb, deadlineMs, recordRejectedDelivery, {
      ...draft,
      outcome,
      httpStatus,
      error: storableText(error),
      transactionId,
      notificationStatus: statusFrom(fields?.status),
      durationMs: elapsed(),
    });
    return {
      kind: "refused",
      httpStatus,
      outcome,
      error,
      transactionId,
      deliveryId: recorded.ok ? recorded.id : null,
      recorded: recorded.ok,
    };
  };

  // Whatever fails while the body is read and checked (a parser's limit, a bug) is a recorded refusal: every
  // request that reached us leaves a row, and nothing about the deposit moved.
  try {
    return await verifyAndStore();
  } catch (error) {
    console.error(`[webhook] a notification could not be read (refused, 400): ${describeError(error)}`);
    return refuse(400, "invalid_payload", "the notification could not be read");
  }

  async function verifyAndStore(): Promise<IngestResult> {
    if (tooLarge) {
      return refuse(
        413,
        "too_large",
        `body is ${input.totalBytes} bytes; the limit is ${MAX_NOTIFICATION_BYTES}`,
      );
    }

    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(input.body);
    } catch {
      return refuse(400, "invalid_payload", "body is not valid UTF-8");
    }

    let parsed: ReturnType<typeof parseSignedMessageBody>;
    try {
      parsed = parseSignedMessageBody(text, draft.contentType ?? null);
    } catch (error) {
      if (error instanceof SignedMessageBodyError) return refuse(400, "invalid_payload", error.message);
      throw error;
    }
    draft.encoding = parsed.encoding;
    // Checked before anything from the body is stored or compared: PostgreSQL cannot store these characters.
    const unstorable = findUnstorableText(parsed.fields);
    if (unstorable) {
      return refuse(400, "invalid_payload", `${unstorable} contains a NUL character or invalid Unicode`);
    }

    const oversized = findOversizedUnsignedBlock(parsed.fields);
    if (oversized) return refuse(413, "too_large", oversized, parsed.fields);
    // Before the signature: a body whose signed string can be read as other fields proves nothing when it verifies.
    const ambiguous = findAmbiguousSignedField(parsed.fields);
    if (ambiguous) return refuse(400, "invalid_payload", ambiguous, parsed.fields);

    const verdict = verifySignedMessage(parsed.fields, clientSecret);
    if (!verdict.ok) {
      draft.signCheck = verdict.reason === "missing" ? "missing" : "invalid";
      const error = verdict.reason === "missing" ? "sign is missing" : "sign does not match the notification";
      return refuse(401, "bad_signature", error, parsed.fields);
    }
    draft.signCheck = "valid";
    draft.signVariant = verdict.variant;
    // Verified hex, so safe to store: the key under which copies of this signed body are found (drizzle/0013).
    draft.sign = String(parsed.fields.sign).toLowerCase();
    if (draft.xSignCheck === "invalid") {
      return refuse(401, "bad_signature", "X-SIGN header does not match this project", parsed.fields);
    }

    const payload = withExactNumbersAsText(parsed.fields) as Record<string, unknown>;
    const validation = validateNotification(payload);
    if (!validation.ok) {
      return refuse(
        400,
        "invalid_payload",
        `invalid notification: ${validation.errors.join("; ")}`,
        parsed.fields,
      );
    }
    const { notification } = validation;

    const gate = new AnswerGate();
    const work = (async () => {
      const db = await deps.getDb();
      return applyObservation(db, {
        notification,
        payload,
        source: input.replayOfDeliveryId === undefined ? "webhook" : "replay",
        delivery: { ...draft, durationMs: elapsed() },
        beforeSend: () => gate.enterSend(),
        // The deposit's row lock is waited for only as long as the answer can wait; past it nothing is written.
        lockTimeoutMs: Math.max(deadlineMs - elapsed() - 100, 50),
      });
    })();
    const stored = (value: Awaited<typeof work>): IngestResult => ({
      kind: "stored",
      outcome: value.outcome,
      transactionId: notification.transaction_id,
      previousStatus: value.previousStatus ?? null,
      newStatus: value.status,
      eventId: value.eventId,
      // applyObservation was given a delivery, so the statement returns its id.
      deliveryId: value.deliveryId as number,
    });
    const UNAVAILABLE = "the notification could not be stored; answered 503";
    /** Logs and records (after answering, best effort: the database may be what is down) an unavailable answer. */
    const recordUnavailable = (error: unknown) => {
      console.error(
        `[webhook] could not store notification for transaction ${notification.transaction_id} (answered 503 after ${elapsed()} ms): ${describeError(error)}`,
      );
      const recording = recordDelivery(deps.getDb, 2_000, insertDelivery, {
        ...draft,
        outcome: "unavailable",
        httpStatus: 503,
        error: UNAVAILABLE,
        transactionId: notification.transaction_id,
        notificationStatus: notification.status,
        durationMs: elapsed(),
      });
      deps.afterAnswer?.(recording);
    };
    const unavailable = (): IngestResult => ({
      kind: "unavailable",
      error: UNAVAILABLE,
      transactionId: notification.transaction_id,
    });
    const storeFailed = async (error: unknown): Promise<IngestResult> => {
      // A value the database refuses is bad input (refused and recorded), not the database being down.
      if (isDataException(error)) {
        return refuse(
          400,
          "invalid_payload",
          `a field cannot be stored: ${describeError(error)}`,
          parsed.fields,
        );
      }
      recordUnavailable(error);
      return unavailable();
    };

    const first = await settleWithin(work, deadlineMs - elapsed());
    if (first.state === "done") return stored(first.value);
    if (first.state === "failed") return storeFailed(first.error);
    if (gate.timeOut()) {
      // Nothing was handed to the database: unavailable now; the statement will never be sent.
      work.catch(() => {});
      return storeFailed(new DeadlineExceededError(`storing the notification took over ${deadlineMs} ms`));
    }
    // The statement was handed to the database before the deadline: its result decides, within a short grace.
    const late = await settleWithin(work, COMMIT_GRACE_MS);
    if (late.state === "done") return stored(late.value);
    if (late.state === "failed") return storeFailed(late.error);
    // Still in flight (the database hangs, or the driver holds the statement until it reconnects): unavailable now,
    // and the request is recorded once, when its fate is known — its own row corrected to 503 if it lands after
    // all, a 503 row if it fails.
    deps.afterAnswer?.(
      work.then(
        (result) => markAnsweredUnavailable(deps.getDb, result.deliveryId, elapsed()),
        (error) => recordUnavailable(error),
      ),
    );
    return unavailable();
  }
}
