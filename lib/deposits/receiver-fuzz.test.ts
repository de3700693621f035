import { count, eq, inArray, max, sql } from "drizzle-orm";
import fc from "fast-check";
import { LosslessNumber } from "lossless-json";
import { describe, expect, it } from "vitest";
import { deposits, webhookDeliveries, webhookRejectionCounts } from "@/lib/db/schema";
import { PEER_ADDRESS_HEADER } from "@/lib/http/client-address";
import { encodeNotification, signNotification } from "@/lib/skinsback/notification-builder";
import { xSign } from "@/lib/skinsback/signature";
import { TEST_CREDENTIALS, WEBHOOK_URL } from "@/lib/testing/notifications";
import { useWebhookTestbed } from "@/lib/testing/webhook-testbed";

/**
 * Hostile bodies against the real receiver and database: never a 5xx, never a state change from a body that was
 * refused, and every request recorded (a delivery row) or counted (a rejection counter). FUZZ_RUNS sets how many
 * (`npm run test:faults` runs 10,000; the everyday suite fewer, with a new seed each run printed on failure).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 1_500);

const FIELDS = [
  "status",
  "transaction_id",
  "order_id",
  "steam_id",
  "date",
  "amount",
  "amount_currency",
  "amount_in_currencies",
  "user_amount",
  "user_amount_in_currencies",
  "offer_date",
  "in_hold_until",
  "trade_offer_id",
  "skins_send_date",
  "custom_currency",
  "custom_currency_rate",
  "custom_currency_sum",
  "reason",
  "user_risk",
  "sign",
];
const STATUSES = ["pending", "in_hold", "hold_approved", "success", "fail", "hold_returned"];

const hostileText = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }), // lone surrogates included
  fc.constantFrom(
    "\u0000",
    "a\u0000b",
    "\ud800",
    "\udfff",
    "‮",
    "ﷺ",
    "\u0007",
    "%00",
    "'; drop table deposits;--",
    "",
  ),
);
const hostileNumber = fc
  .oneof(
    fc.constantFrom(
      "9007199254740993",
      "76561198000000001",
      "-1",
      "1e308",
      "-0",
      "0.000000000000000000001",
      "1".repeat(40),
    ),
    fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
    fc.double().map(String),
  )
  .map((text) => (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(text) ? new LosslessNumber(text) : text));
const deep = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    hostileText,
    hostileNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("node"), { maxLength: 3 }),
    fc.dictionary(hostileText, tie("node"), { maxKeys: 3, noNullPrototype: true }),
  ),
})).node;
const fieldValue = fc.oneof(hostileText, hostileNumber, fc.constantFrom(...STATUSES), deep);

/** Fields that look like a notification: known keys with hostile values, plus stray keys. */
const fields = fc
  .tuple(
    fc.dictionary(fc.constantFrom(...FIELDS), fieldValue, { maxKeys: 14, noNullPrototype: true }),
    fc.dictionary(hostileText, fieldValue, { maxKeys: 3, noNullPrototype: true }),
    fc.constantFrom(...STATUSES),
    fc.bigInt({ min: 1n, max: 2n ** 63n }).map(String),
  )
  .map(([known, stray, status, id]) => ({
    status,
    transaction_id: id,
    order_id: `fz-${id}`,
    ...stray,
    ...known,
  }));

type Case = { body: string | Uint8Array; contentType: string; xSign?: string };

const cases: fc.Arbitrary<Case> = fc.oneof(
  // A valid signature over hostile values: passes the sign check, must still be refused or stored cleanly.
  fields.map((f) => {
    const { sign: _dropped, ...unsigned } = f as Record<string, unknown>;
    const signed = signNotification(unsigned as never, TEST_CREDENTIALS.clientSecret);
    return {
      ...encodeNotification(signed, "json"),
      xSign: xSign(TEST_CREDENTIALS.clientId, TEST_CREDENTIALS.clientSecret),
    };
  }),
  fields.map((f) => {
    const { sign: _dropped, ...unsigned } = f as Record<string, unknown>;
    return encodeNotification(signNotification(unsigned as never, TEST_CREDENTIALS.clientSecret), "form");
  }),
  // Unsigned or wrongly signed, either encoding.
  fields.map((f) => encodeNotification(f, "json")),
  fields.map((f) => encodeNotification(f, "form")),
  // Duplicated keys and raw JSON oddities.
  fc.tuple(fc.constantFrom(...FIELDS), hostileText, hostileText).map(([key, a, b]) => ({
    body: `{"${key}":${JSON.stringify(a)},"${key}":${JSON.stringify(b)},"sign":"${"0".repeat(40)}"}`,
    contentType: "application/json",
  })),
  fc
    .integer({ min: 1, max: 2_000 })
    .map((depth) => ({ body: `${"[".repeat(depth)}${"]".repeat(depth)}`, contentType: "application/json" })),
  fc.integer({ min: 1, max: 400 }).map((depth) => ({
    body: `a${"[b]".repeat(depth)}=1&sign=x`,
    contentType: "application/x-www-form-urlencoded",
  })),
  // Bytes that are not UTF-8, wrong content types, empty and oversized bodies.
  fc.uint8Array({ maxLength: 300 }).map((bytes) => ({ body: bytes, contentType: "application/json" })),
  fc
    .tuple(
      fc.string({ maxLength: 200 }),
      fc.constantFrom(
        "text/plain",
        "application/xml",
        "multipart/form-data",
        "",
        "application/json; charset=latin1",
      ),
    )
    .map(([body, contentType]) => ({ body, contentType })),
  fc
    .integer({ min: 64 * 1024 - 8, max: 64 * 1024 + 4_096 })
    .map((n) => ({ body: `{"pad":"${"x".repeat(n)}"}`, contentType: "application/json" })),
);

describe("fuzzing the receiver (PGlite)", () => {
  const bed = useWebhookTestbed("pglite");

  it(`${RUNS} hostile bodies: no 5xx, no state change from a refused body, every request recorded or counted`, async () => {
    const db = bed.database.handle.db;
    // Changes whenever any deposit is added, moved or edited.
    const fingerprint = async () =>
      JSON.stringify(
        await db
          .select({
            n: count(),
            updated: max(deposits.updatedAt),
            statuses: sql<string>`string_agg(${deposits.status}::text, ',')`,
          })
          .from(deposits),
      );
    let sent = 0;
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(cases, async (c) => {
        const before = await fingerprint();
        const headers: Record<string, string> = {
          "content-type": c.contentType,
          [PEER_ADDRESS_HEADER]: `192.0.2.${sent % 250}`,
        };
        if (c.xSign) headers["x-sign"] = c.xSign;
        const response = await bed.receive(
          new Request(WEBHOOK_URL, { method: "POST", headers, body: c.body as BodyInit }),
        );
        sent += 1;
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        expect(response.status).toBeLessThan(500);
        if (response.status !== 200) expect(await fingerprint()).toBe(before);
      }),
      { numRuns: RUNS },
    );
    const [accepted] = await db
      .select({ n: count() })
      .from(webhookDeliveries)
      .where(inArray(webhookDeliveries.outcome, ["applied", "duplicate", "stale", "conflict"]));
    const [rejected] = await db
      .select({ n: sql<string>`coalesce(sum(${webhookRejectionCounts.requests}), 0)` })
      .from(webhookRejectionCounts)
      .where(eq(webhookRejectionCounts.scope, "all"));
    console.info(`fuzz: ${sent} requests, answers ${JSON.stringify(Object.fromEntries(statuses))}`);
    expect((accepted?.n ?? 0) + Number(rejected?.n ?? 0)).toBe(sent);
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0); // some hostile-but-valid bodies were stored
  });
});
