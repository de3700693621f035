import { parse as parseCsv } from "csv-parse/sync";
import { sql } from "drizzle-orm";
import { stringify as stringifyLossless } from "lossless-json";
import { describe, expect, it } from "vitest";
import { safeNextPath } from "@/lib/auth/safe-next";
import { listeningPortProblem, parseConfig } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import { rowsOf } from "@/lib/db/rows";
import { countRejection, DETAILED_PER_HOUR } from "@/lib/deposits/rejected-requests";
import { findUnreadableSearchParam } from "@/lib/http/search-params";
import { sandboxRequests } from "@/lib/sandbox/schema";
import {
  EXAMPLE_USER_RISK,
  encodeNotification,
  signNotification,
} from "@/lib/skinsback/notification-builder";
import { findAmbiguousSignedField, verifySignedMessage } from "@/lib/skinsback/signature";
import { parseSignedMessageBody, withExactNumbersAsText } from "@/lib/skinsback/signed-message";
import { TEST_DATABASE_KINDS } from "@/lib/testing/databases";
import { countDeposits, storedDeliveries, storedDeposit, storedEvents } from "@/lib/testing/inspect";
import {
  notificationRequest,
  rawRequest,
  sampleNotification,
  TEST_CREDENTIALS,
} from "@/lib/testing/notifications";
import { useProxyTestbed } from "@/lib/testing/proxy-testbed";
import { useWebhookTestbed } from "@/lib/testing/webhook-testbed";
import { csvCell } from "@/lib/text/csv-cell";
import { contentSecurityPolicy } from "./headers";

/**
 * The security group (issue 16): each case is an attack that once got through, tried as an attacker would.
 * Browser-side cases (framing, the redirect in a real browser, prefetching, the CSP) are in e2e/security.spec.ts.
 */

/** A signed JSON body of exactly these fields (numbers as JSON numbers, as SkinsBack sends them). */
function signedBody(fields: Record<string, unknown>) {
  const signed = signNotification(fields as never, TEST_CREDENTIALS.clientSecret);
  return { fields: signed, body: encodeNotification(signed, "json").body };
}

describe.each(TEST_DATABASE_KINDS)("security #1: one signed string, one reading — on %s", (kind) => {
  const bed = useWebhookTestbed(kind);

  it("refuses the documented forgery: a signed pending re-cut into another deposit's success", async () => {
    const db = bed.database.handle.db;
    const victim = sampleNotification({ status: "pending" });
    expect((await bed.receive(notificationRequest(victim))).status).toBe(200);

    // The attacker's own deposit, whose order_id carries the fields to smuggle.
    const own = `${victim.transaction_id}9`;
    const genuine = signedBody({
      status: "pending",
      transaction_id: own,
      order_id: `A;status:success;transaction_id:${victim.transaction_id};zz:`,
    });
    // The same signed string, read as other fields: the victim's success.
    const forged = {
      order_id: "A",
      status: "success",
      transaction_id: victim.transaction_id,
      zz: `;status:pending;transaction_id:${own}`,
      sign: genuine.fields.sign,
    };
    // Proof that this is the attack: the forged body's signature verifies.
    expect(verifySignedMessage(forged, TEST_CREDENTIALS.clientSecret).ok).toBe(true);

    const refusedGenuine = await bed.receive(rawRequest(genuine.body));
    const refusedForged = await bed.receive(rawRequest(JSON.stringify(forged)));
    expect([refusedGenuine.status, refusedForged.status]).toEqual([400, 400]);
    expect((await refusedGenuine.json()).error).toMatch(/order_id contains ";"/);
    expect((await refusedForged.json()).error).toMatch(/zz contains ";"/);
    expect((await storedDeposit(db, victim.transaction_id))?.status).toBe("pending");
    expect(await storedDeposit(db, own)).toBeUndefined();
    // Both refusals are recorded, as invalid input.
    const refused = (await storedDeliveries(db)).filter((d) => d.outcome === "invalid_payload");
    expect(refused.length).toBeGreaterThanOrEqual(2);
  });

  const crafted: Array<[string, Record<string, unknown>, number]> = [
    ["a value with ';'", { order_id: "ord;1" }, 400],
    ["a value with ';' at its end", { trade_offer_id: "1;" }, 400],
    ["a key with ':'", { "x:y": "1" }, 400],
    ["a key with ';'", { "x;y": "1" }, 400],
    ["a key with a space", { "x y": "1" }, 400],
    ["a key with a dash", { "x-y": "1" }, 400],
    ["a non-ASCII key", { ключ: "1" }, 400],
    ["';' inside an unsigned block is not signed, so it is fine", { user_risk: { note: "a;b" } }, 200],
    ["':' in a value reads one way only", { trade_offer_id: "12:30" }, 200],
    ["an unknown key of letters, digits and _", { brand_new_field_2: "kept" }, 200],
  ];
  it.each(crafted)("%s → %i", async (_name, extra, status) => {
    const n = { ...sampleNotification({ status: "pending" }), ...extra };
    const response = await bed.receive(notificationRequest(n));
    expect(response.status).toBe(status);
    const stored = await storedDeposit(bed.database.handle.db, n.transaction_id);
    expect(stored === undefined).toBe(status !== 200);
  });

  it("the rule itself: keys [A-Za-z0-9_], no ';' in any signed value, nested values ignored", () => {
    expect(findAmbiguousSignedField({ a_1: "x:y", nested: { "k;": "v;" }, list: ["a;b"] })).toBeUndefined();
    expect(findAmbiguousSignedField({ a: "x;y" })).toMatch(/a contains ";"/);
    expect(findAmbiguousSignedField({ "a:b": "x" })).toMatch(/signed key/);
    // null and booleans are signed (as "" / "1" in the PHP reading): their keys count too.
    expect(findAmbiguousSignedField({ "a;": null })).toMatch(/signed key/);
  });
});

describe("security #1: the console never asks SkinsBack to sign an ambiguous request", () => {
  const bed = useProxyTestbed({ actor: { kind: "api-key" }, address: "127.0.0.9" });
  const proxy = bed.proxy;

  /** Requests that reached the sandbox (SkinsBack's side). */
  const sent = async () => Number(await bed.sandboxDb.handle.db.$count(sandboxRequests));

  it.each([
    ["create", { order_id: "A;status:success;transaction_id:1;zz:" }, "order_id"],
    ["create", { order_id: "ord:1" }, "order_id"],
    ["create", { order_id: "ok-1", result_url: "https://merchant.example/hook;x" }, "result_url"],
    ["market_buy", { partner: "1", token: "AbCd1234", id: "5", custom_id: "c;1" }, "custom_id"],
    ["market_buy", { partner: "1", token: "AbCd1234", name: "Knife: x", game: "cs2" }, "name"],
  ])("%s with %j → 400 naming the field, nothing sent", async (method, params, field) => {
    const before = await sent();
    const response = await proxy(method, params);
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain(field);
    expect(await sent()).toBe(before);
  });

  // #13: where SkinsBack may send the player and its notifications.
  it.each([
    "javascript:alert(1)",
    "file:///etc/passwd",
    "gopher://127.0.0.1:25/x",
    "/relative/path",
    `https://merchant.example/${"a".repeat(2049)}`,
  ])("security #13: result_url %s → 400", async (url) => {
    const response = await proxy("create", { order_id: `url-${url.length}`, result_url: url });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain("result_url");
  });

  it("security #13: a well-formed foreign URL is refused by the proxy (403); the console's own is accepted", async () => {
    const response = await proxy("create", {
      order_id: "url-ok",
      result_url: "https://merchant.example/api/skinsback/webhook?x=1&y=2",
    });
    // Whoever may call the proxy must not receive a deposit's signed notifications (the admin's list aside).
    expect(response.status).toBe(403);
    expect((await response.json()).issues.join()).toMatch(/^result_url:/);
    const own = await proxy("create", {
      order_id: "url-own",
      result_url: `${bed.harness.origin}/api/webhooks/skinsback`,
    });
    expect(own.status).toBe(200);
  });

  it("security #2: the proxy refuses prototype keys in its parameters", async () => {
    for (const body of [
      '{"__proto__":{"order_id":"x"}}',
      '{"order_id":"x","constructor":{"prototype":{"a":1}}}',
    ]) {
      const response = await proxy("orderstatus", body);
      expect(response.status).toBe(400);
      expect((await response.json()).error).toMatch(/not allowed/);
    }
  });
});

describe.each(TEST_DATABASE_KINDS)("security #2: prototype keys bring in nothing — on %s", (kind) => {
  const bed = useWebhookTestbed(kind);

  it("a __proto__ member is refused with 400 and nothing is stored", async () => {
    const db = bed.database.handle.db;
    const n = sampleNotification({ status: "pending" });
    const { status: _status, ...withoutStatus } = n;
    const fields = signNotification(withoutStatus as never, TEST_CREDENTIALS.clientSecret);
    const body = stringifyLossless(fields)?.replace(
      /^\{/,
      '{"__proto__":{"amount":"999999.00","status":"success"},',
    ) as string;
    const before = await countDeposits(db);
    const response = await bed.receive(rawRequest(body));
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(/__proto__/);
    expect(await countDeposits(db)).toBe(before);
  });

  it.each([
    ["nested in user_risk", (b: string) => b.replace(/^\{/, '{"user_risk":{"__proto__":{"x":1}},')],
    [
      "constructor.prototype",
      (b: string) => b.replace(/^\{/, '{"constructor":{"prototype":{"status":"success"}},'),
    ],
    ["a top-level prototype", (b: string) => b.replace(/^\{/, '{"prototype":{"status":"success"},')],
  ])("%s → 400", async (_name, mutate) => {
    const n = sampleNotification({ status: "in_hold" });
    const { body } = encodeNotification(signNotification(n, TEST_CREDENTIALS.clientSecret), "json");
    const response = await bed.receive(rawRequest(mutate(body)));
    expect(response.status).toBe(400);
    expect(await storedDeposit(bed.database.handle.db, n.transaction_id)).toBeUndefined();
  });

  it("form bodies with bracket keys: __proto__[status]=success → 400", async () => {
    const n = sampleNotification({ status: "pending" });
    const { body } = encodeNotification(signNotification(n, TEST_CREDENTIALS.clientSecret), "form");
    for (const extra of [
      "__proto__[status]=success",
      "user_risk[__proto__][a]=1",
      "constructor[prototype][x]=1",
    ]) {
      const response = await bed.receive(rawRequest(`${body}&${extra}`, "application/x-www-form-urlencoded"));
      expect(response.status).toBe(400);
    }
    expect(await storedDeposit(bed.database.handle.db, n.transaction_id)).toBeUndefined();
  });

  it("parsed fields are copied into null-prototype objects: validation reads own fields only", () => {
    const copy = withExactNumbersAsText(
      parseSignedMessageBody('{"a":{"b":1}}', "application/json").fields,
    ) as Record<string, Record<string, unknown>>;
    expect(Object.getPrototypeOf(copy)).toBeNull();
    expect(Object.getPrototypeOf(copy.a)).toBeNull();
  });
});

describe.each(TEST_DATABASE_KINDS)(
  "security #4, #10: what a refused or replayed body can do — on %s",
  (kind) => {
    const bed = useWebhookTestbed(kind);

    it("#4: a refused request's transaction_id is kept only when it is a valid id (pages link it)", async () => {
      const db = bed.database.handle.db;
      const hostile = "../../api/deposits/export?status=fail";
      await bed.receive(
        rawRequest(JSON.stringify({ transaction_id: hostile, status: "success", sign: "00" })),
      );
      const valid = sampleNotification();
      await bed.receive(notificationRequest(valid, { secret: "wrong-secret" }));
      const rows = await storedDeliveries(db);
      expect(rows.map((r) => r.transactionId)).not.toContain(hostile);
      expect(rows.map((r) => r.transactionId)).toContain(valid.transaction_id);
    });

    it("#10: an unsigned block over 8 KB is refused 413; 200 such copies add at most 1 MB", async () => {
      const db = bed.database.handle.db;
      const n = sampleNotification({
        status: "in_hold",
        user_risk: { ...EXAMPLE_USER_RISK, junk: "x".repeat(40_000) },
      });
      const size = () => storedBytes(db);
      const before = await size();
      const first = await bed.receive(notificationRequest(n));
      expect(first.status).toBe(413);
      expect((await first.json()).error).toMatch(/user_risk is \d+ bytes/);
      for (let i = 1; i < 200; i++) await bed.receive(notificationRequest(n));
      expect((await size()) - before).toBeLessThanOrEqual(1024 * 1024);
      expect(await storedDeposit(db, n.transaction_id)).toBeUndefined();
    });

    it("#10: 200 copies of one signed body: three kept whole, the rest counted without their body (≤ 1 MB)", async () => {
      const db = bed.database.handle.db;
      // Near the caps: 7 KB of unsigned junk, different in every copy (the signature does not cover it).
      const n = sampleNotification({ status: "in_hold", user_risk: { ...EXAMPLE_USER_RISK } });
      const sizeOf = () => storedBytes(db);
      const before = await sizeOf();
      for (let i = 0; i < 200; i++) {
        const response = await bed.receive(
          notificationRequest(n, {
            mutate: (f) => {
              f.user_risk = { ...EXAMPLE_USER_RISK, junk: `${i}`.padEnd(7_000, "x") };
            },
          }),
        );
        expect(response.status).toBe(200);
      }
      const grown = (await sizeOf()) - before;
      expect(grown).toBeLessThanOrEqual(1024 * 1024);
      const rows = await storedDeliveries(db, n.transaction_id);
      expect(rows).toHaveLength(200);
      const kept = rows.filter((r) => r.identicalToDeliveryId === null);
      expect(kept).toHaveLength(3);
      const copies = rows.filter((r) => r.identicalToDeliveryId !== null);
      expect(new Set(copies.map((r) => r.identicalToDeliveryId))).toEqual(new Set([kept[0]?.id]));
      expect(copies.every((r) => r.rawBody.length === 0 && r.bodyBytes > 7_000)).toBe(true);
      const events = await storedEvents(db, n.transaction_id);
      expect(events.filter((e) => e.outcome === "applied")).toHaveLength(1);
      expect(events.filter((e) => Object.keys(e.payload).length === 0)).toHaveLength(197);
    });

    it("#10: a flood from 50 addresses cannot blind the log: each new address's first refusal keeps its row", async () => {
      const db = bed.database.handle.db;
      // A clock of the test's own, in an hour no real request can share (other tests' refusals use now()).
      const at = new Date("2001-02-03T10:15:00Z");
      let detailed = 0;
      for (let i = 0; i < DETAILED_PER_HOUR + 50; i++) {
        if ((await countRejection(db, `198.51.100.${i % 50}`, 10, at)).detailed) detailed += 1;
      }
      // 50 addresses × 20 a minute = the hourly 1,000: the global cap is used up.
      expect(detailed).toBe(DETAILED_PER_HOUR);
      expect((await countRejection(db, "198.51.100.1", 10, at)).detailed).toBe(false);
      // The next real refusal, from an address not seen this hour, still gets its row.
      expect((await countRejection(db, "203.0.113.200", 10, at)).detailed).toBe(true);
      expect((await countRejection(db, "203.0.113.200", 10, at)).detailed).toBe(false);
      const later = new Date("2001-02-03T11:01:00Z");
      expect((await countRejection(db, "203.0.113.200", 10, later)).detailed).toBe(true);
    });
  },
);

/** Bytes the delivery log and the events take on disk, indexes and TOAST included. */
async function storedBytes(db: Db): Promise<number> {
  const [row] = rowsOf<{ n: string }>(
    await db.execute(
      sql`select (pg_total_relation_size('webhook_deliveries') + pg_total_relation_size('deposit_events'))::text as n`,
    ),
  );
  return Number(row?.n);
}

describe("security #3: after sign-in, only a path on this console", () => {
  it.each([
    ["/%09/evil.test/phish", "/\t/evil.test/phish"],
    ["a tab", "/\t/evil.test"],
    ["a line feed", "/\n/evil.test"],
    ["a carriage return", "/\r/evil.test"],
    ["a backslash", "/\\evil.test"],
    ["two slashes", "//evil.test"],
    ["an absolute URL", "https://evil.test/"],
    ["a scheme-relative URL behind a dot segment", "/./\t/evil.test"],
    ["a javascript: URL", "javascript:alert(1)"],
    ["the sign-in page itself", "/sign-in?next=/x"],
  ])("%s → /", (_name, next) => {
    expect(safeNextPath(next)).toBe("/");
  });

  it("keeps a real path with its query, encoded so that it is always a valid Location header", () => {
    expect(safeNextPath("/deposits?status=fail&q=76561198000000001")).toBe(
      "/deposits?status=fail&q=76561198000000001",
    );
    expect(safeNextPath("/deposits?q=ключ")).toBe("/deposits?q=%D0%BA%D0%BB%D1%8E%D1%87");
    expect(safeNextPath("/ü")).toBe("/%C3%BC");
    for (const next of ["/deposits?q=ключ", "/ü", "/a?b=c#d"]) {
      expect(() => new Headers({ location: safeNextPath(next) })).not.toThrow();
    }
  });
});

describe("security #11: CSV cells cannot start a formula, whichever separator a reader splits on", () => {
  const hostile = [
    "=1+2",
    "\n=1+2",
    " =1+2",
    "\t=1+2",
    "\r=1+2",
    "＝1+2",
    "＋1",
    "－1",
    "＠SUM(A1)",
    "+1",
    "-1+2",
    "@SUM(A1)",
    "x;=1+2;y",
    "x,=1+2,y",
    'a"b',
  ];
  const line = hostile.map(csvCell).join(",");

  it.each([",", ";"])("read back with delimiter %j by csv-parse, no cell starts a formula", (delimiter) => {
    for (const value of hostile) {
      // Each cell as a line of its own, and next to a neighbour, as a spreadsheet reading this separator sees it.
      for (const text of [csvCell(value), `${csvCell("a")}${delimiter}${csvCell(value)}`]) {
        const records = parseCsv(text, { delimiter, relax_column_count: true }) as string[][];
        for (const cell of records.flat()) {
          expect(cell.trimStart(), JSON.stringify(value)).not.toMatch(/^[=+\-@＝＋－＠]/);
        }
      }
    }
  });

  it("with the right delimiter every cell reads back as its text, defused by one apostrophe", () => {
    const [cells] = parseCsv(line) as string[][];
    expect(cells).toHaveLength(hostile.length);
    cells?.forEach((cell, i) => {
      const original = hostile[i] as string;
      expect(cell === original || cell === `'${original}`).toBe(true);
    });
    expect(cells?.[12]).toBe("x;=1+2;y");
  });
});

describe("security #12: query parameters no page can take", () => {
  it.each([
    ["q=%00", /"q" holds a NUL/],
    ["actor=a%00b", /"actor" holds a NUL/],
    ["%00=1", /holds a NUL/],
    ["__proto__=1", /not allowed/],
  ])("%s → named", (query, message) => {
    expect(findUnreadableSearchParam(new URLSearchParams(query))).toMatch(message);
  });
  it("ordinary ones pass", () => {
    expect(findUnreadableSearchParam(new URLSearchParams("q=ключ&status=fail,success"))).toBeUndefined();
  });
});

describe("security #6: the Content Security Policy", () => {
  it("names every directive the issue asks for, scripts by nonce only in production", () => {
    const policy = contentSecurityPolicy("abc", { dev: false, https: true });
    for (const directive of [
      "default-src 'self'",
      "frame-ancestors 'none'",
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "script-src 'self' 'nonce-abc' 'strict-dynamic'",
      "upgrade-insecure-requests",
    ]) {
      expect(policy).toContain(directive);
    }
    expect(policy).not.toMatch(/script-src[^;]*unsafe/);
    expect(contentSecurityPolicy("abc", { dev: true, https: false })).toContain("'unsafe-eval'");
  });
});

describe("security #14: APP_ORIGIN follows the port the server listens on", () => {
  const config = (env: Record<string, string>) => parseConfig({ NODE_ENV: "test", ...env });
  it("unset, it follows PORT", () => {
    expect(listeningPortProblem(config({ PORT: "3400" }), "3400")).toBeUndefined();
  });
  it("a loopback origin on another port stops the start with a message naming both ports", () => {
    const problem = listeningPortProblem(config({ APP_ORIGIN: "http://127.0.0.1:3000" }), "3400");
    expect(problem).toMatch(/port 3000 on this machine, but the server listens on port 3400/);
    expect(problem).toContain("APP_ORIGIN=http://127.0.0.1:3400");
  });
  it("a public origin behind a proxy may have any port", () => {
    expect(listeningPortProblem(config({ APP_ORIGIN: "https://pay.example.com" }), "3400")).toBeUndefined();
  });
});
