import { eq } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ALERT_RULES_SETTING } from "@/lib/alerts/settings";
import { type AppConfig, parseConfig } from "@/lib/config";
import {
  alertIncidentEvents,
  alertIncidents,
  alertMessages,
  apiCalls,
  skinsbackFailures,
} from "@/lib/db/schema";
import { newSigningSecret } from "@/lib/forwarding/secrets";
import { writeSetting } from "@/lib/settings/store";
import { startAlertReceivers } from "@/lib/testing/alert-receivers";
import { openTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from "@/lib/testing/databases";
import { manualClock } from "@/lib/testing/manual-clock";
import { createChannel, ensureEnvironmentChannels, listChannels, testChannel } from "./channel-store";
import { type ChannelInput, channelInputSchema } from "./channels";
import { acknowledgeIncident } from "./incident-list";
import { evaluateAlerts } from "./incidents";
import { ALERT_RULES } from "./rule-schemas";
import { CHANNEL_RATE_LIMIT, deliverAlerts } from "./sender";

const by = {
  actor: { kind: "operator", id: "op-1", email: "admin@example.com" },
  label: "admin@example.com",
  address: null,
} as const;
const MINUTE = 60_000;

describe.each(TEST_DATABASE_KINDS)("alerts on %s: channels in their formats, incidents once", (kind) => {
  let database: TestDatabase;
  let receivers: Awaited<ReturnType<typeof startAlertReceivers>>;
  let config: AppConfig;
  const webhookSecret = newSigningSecret();
  let failOnce = true;

  // Each test has a database of its own (a copy of the migrated template): no test reads another's channels.
  beforeEach(async () => {
    database = await openTestDatabase(kind);
  });
  afterEach(async () => {
    await database?.drop();
  });
  beforeAll(async () => {
    receivers = await startAlertReceivers({
      // The first request to the Discord stand-in is refused: the outbox retries it.
      answer: (r) => {
        if (r.path === "/discord" && failOnce) {
          failOnce = false;
          return 503;
        }
        return 200;
      },
    });
    config = parseConfig({ FORWARD_ALLOW_PRIVATE_NETWORKS: "1", APP_ORIGIN: "http://127.0.0.1:3999" });
  });
  afterAll(async () => {
    await receivers?.close();
  });

  const channels = () =>
    ({
      email: {
        kind: "email",
        smtpUrl: receivers.smtpUrl,
        to: ["ops@shop.example"],
        from: "console@shop.example",
      },
      slack: { kind: "slack", webhookUrl: `${receivers.origin}/slack` },
      discord: { kind: "discord", webhookUrl: `${receivers.origin}/discord` },
      telegram: {
        kind: "telegram",
        botToken: "123456:ABCdefGHIjklMNOpqrSTUvwxYZ012345",
        chatId: "-1001234",
        apiBase: `${receivers.origin}/tg`,
      },
      webhook: { kind: "webhook", url: `${receivers.origin}/generic`, secret: webhookSecret },
    }) satisfies Record<string, ChannelInput>;

  it("a test send reaches each kind in its own format; the generic one verifies with standardwebhooks", async () => {
    const db = database.handle.db;
    // What this test reads arrives from now on (the receivers are shared by the file's tests).
    receivers.requests.length = 0;
    receivers.mail.length = 0;
    failOnce = false;
    for (const channel of Object.values(channels())) {
      const result = await testChannel(db, { channel, allowPrivateNetwork: true }, by, config);
      expect(result, channel.kind).toEqual({ ok: true });
    }
    const byPath = Object.fromEntries(receivers.requests.map((r) => [r.path, r]));
    const slack = byPath["/slack"]?.json as { text: string } | undefined;
    expect(slack?.text).toMatch(/^\*\[test\] Test from the SkinsBack console\*\n/);
    const discord = byPath["/discord"]?.json as { content: string; allowed_mentions: unknown };
    expect(discord.content).toMatch(/^\*\*\[test\] /);
    expect(discord.allowed_mentions).toEqual({ parse: [] });
    const telegram = byPath["/tg/bot123456:ABCdefGHIjklMNOpqrSTUvwxYZ012345/sendMessage"]?.json as {
      chat_id: string;
      text: string;
    };
    expect(telegram).toMatchObject({ chat_id: "-1001234", disable_web_page_preview: true });
    const generic = byPath["/generic"];
    const verified = new Webhook(webhookSecret).verify(generic?.body ?? "", generic?.headers ?? {}) as {
      type: string;
      data: { title: string };
    };
    expect(verified).toMatchObject({
      type: "alert.test",
      data: { title: "Test from the SkinsBack console" },
    });
    expect(receivers.mail).toHaveLength(1);
    expect(receivers.mail[0]?.subject).toBe("[test] Test from the SkinsBack console");
    expect(receivers.mail[0]?.to).toMatchObject({ text: "ops@shop.example" });
    expect(receivers.mail[0]?.text).toContain("http://127.0.0.1:3999/alerts");
  });

  it("SMTP URLs the sender could not read are refused as input (400 naming the field), never a 500", () => {
    for (const smtpUrl of ["smtp://x:99999", "smtp://%", "smtp://user:%E0%A4%A@mail.example:25"]) {
      const parsed = channelInputSchema.safeParse({ kind: "email", smtpUrl, to: ["ops@shop.example"] });
      expect(parsed.success, smtpUrl).toBe(false);
      expect(parsed.error?.issues[0]?.path).toEqual(["smtpUrl"]);
    }
  });

  it("e-mail goes to the address that was checked: a name is resolved once, and TLS keeps the name", async () => {
    const db = database.handle.db;
    const byName = receivers.smtpUrl.replace("127.0.0.1", "localhost");
    const sent = await testChannel(
      db,
      { channel: { ...channels().email, smtpUrl: byName }, allowPrivateNetwork: true },
      by,
      config,
    );
    expect(sent).toMatchObject({ ok: true });
    const strict = parseConfig({ APP_ORIGIN: "http://127.0.0.1:3999" });
    const refused = await testChannel(
      db,
      { channel: { ...channels().email, smtpUrl: byName }, allowPrivateNetwork: false },
      by,
      strict,
    );
    expect(refused).toMatchObject({
      ok: false,
      error: expect.stringMatching(/loopback, private or link-local/),
    });
  });

  it("a failing test send names the problem and no secret", async () => {
    const db = database.handle.db;
    const wrongPassword = receivers.smtpUrl.replace("s3cret", "wrong");
    const result = await testChannel(
      db,
      { channel: { ...channels().email, smtpUrl: wrongPassword }, allowPrivateNetwork: true },
      by,
      config,
    );
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toMatch(/SMTP/);
      expect(result.error).not.toContain("wrong%2Fpass");
      expect(result.error).not.toContain("wrong/pass");
    }
    // An internal address is refused unless the network rule allows it.
    const strict = parseConfig({ APP_ORIGIN: "http://127.0.0.1:3999" });
    const refused = await testChannel(
      db,
      { channel: channels().slack, allowPrivateNetwork: false },
      by,
      strict,
    );
    expect(refused).toMatchObject({
      ok: false,
      error: expect.stringMatching(/loopback, private or link-local/),
    });
  });

  it("an incident opens once, reminds on schedule, stays quiet once acknowledged, resolves once", async () => {
    const db = database.handle.db;
    receivers.requests.length = 0;
    receivers.mail.length = 0;
    failOnce = true;
    for (const [name, channel] of Object.entries(channels())) {
      await createChannel(db, { name, channel, allowPrivateNetwork: true }, by, config);
    }
    const mine = Object.keys(channels());
    expect((await listChannels(db)).filter((c) => mine.includes(c.name))).toHaveLength(5);
    const clock = manualClock("2031-03-01T10:00:00.000Z");
    await writeSetting(
      db,
      ALERT_RULES_SETTING,
      { "failed-notifications": { ...ALERT_RULES["failed-notifications"].defaults, count: 0 } },
      "test",
    );
    const send = () =>
      deliverAlerts(db, {
        now: clock.now(),
        appOrigin: config.appOrigin,
        allowInternal: true,
        retryScheduleMs: [0, 5_000, 60_000],
      });
    const evaluate = () => evaluateAlerts(db, { now: clock.now(), clientId: "1490" });

    expect(await evaluate()).toMatchObject({ opened: 0 });
    const [failure] = await db
      .insert(skinsbackFailures)
      .values({
        transactionId: "5551001",
        orderId: "alert-order",
        httpCode: "500",
        listedCount: 1,
        firstSeenAt: clock.now(),
      })
      .returning();
    expect(await evaluate()).toMatchObject({ opened: 1, reminded: 0 });
    expect(await evaluate()).toMatchObject({ opened: 0, reminded: 0 });
    expect(await send()).toMatchObject({ sent: 4, retried: 1 });
    clock.advance(5_000);
    expect(await send()).toMatchObject({ sent: 1 });
    expect(receivers.mail.map((m) => m.subject)).toEqual(["[alert] 1 failed notification open"]);
    expect(receivers.requests.filter((r) => r.path === "/discord")).toHaveLength(2);

    clock.advance(3 * 60 * MINUTE);
    expect(await evaluate()).toMatchObject({ reminded: 0 });
    clock.advance(60 * MINUTE);
    expect(await evaluate()).toMatchObject({ reminded: 1 });
    await send();
    expect(receivers.mail.map((m) => m.subject)).toEqual([
      "[alert] 1 failed notification open",
      "[still open] 1 failed notification open",
    ]);

    const [incident] = await db
      .select()
      .from(alertIncidents)
      .where(eq(alertIncidents.rule, "failed-notifications"));
    await acknowledgeIncident(db, { id: incident?.id as number, note: "on it" }, by, clock.now());
    await expect(acknowledgeIncident(db, { id: incident?.id as number }, by, clock.now())).rejects.toThrow(
      /Already acknowledged by admin@example.com/,
    );
    clock.advance(5 * 60 * MINUTE);
    expect(await evaluate()).toMatchObject({ reminded: 0, resolved: 0 });

    await db
      .update(skinsbackFailures)
      .set({ resolvedAt: clock.now(), resolution: "replayed" })
      .where(eq(skinsbackFailures.id, failure?.id as number));
    expect(await evaluate()).toMatchObject({ resolved: 1 });
    expect(await evaluate()).toMatchObject({ resolved: 0, opened: 0 });
    await send();
    expect(receivers.mail.map((m) => m.subject)).toEqual([
      "[alert] 1 failed notification open",
      "[still open] 1 failed notification open",
      "[resolved] 1 failed notification open",
    ]);
    const history = await db
      .select()
      .from(alertIncidentEvents)
      .where(eq(alertIncidentEvents.incidentId, incident?.id as number));
    expect(history.map((h) => h.kind)).toEqual(
      expect.arrayContaining(["opened", "reminder", "acknowledged", "resolved", "sent"]),
    );
    const [left] = await db.select().from(alertMessages).where(eq(alertMessages.state, "waiting"));
    expect(left).toBeUndefined();
  });

  it("a rule with a pending period opens only after its condition has held that long", async () => {
    const db = database.handle.db;
    const clock = manualClock("2031-04-01T10:00:00.000Z");
    const evaluate = () => evaluateAlerts(db, { now: clock.now(), clientId: "1490" });
    await db.insert(apiCalls).values({
      method: "status",
      params: {},
      outcome: "network_error",
      errorMessage: "ECONNREFUSED",
      durationMs: 3,
      attempts: 1,
      caller: "test",
    });
    const opened = async () =>
      (await db.select().from(alertIncidents).where(eq(alertIncidents.rule, "skinsback-down"))).filter(
        (i) => i.state !== "resolved",
      );
    await evaluate();
    clock.advance(9 * MINUTE);
    await evaluate();
    expect(await opened()).toHaveLength(0);
    clock.advance(MINUTE);
    await evaluate();
    expect(await opened()).toHaveLength(1);
    await db
      .insert(apiCalls)
      .values({ method: "status", params: {}, outcome: "ok", durationMs: 3, attempts: 1, caller: "test" });
    await evaluate();
    expect(await opened()).toHaveLength(0);
  });

  it("past its rate limit a channel's messages wait for the next window; none is dropped", async () => {
    const db = database.handle.db;
    const clock = manualClock("2031-05-01T10:00:00.000Z");
    const { channel } = await createChannel(
      db,
      {
        name: "rate-limited",
        channel: { kind: "slack", webhookUrl: `${receivers.origin}/limited` },
        allowPrivateNetwork: true,
      },
      by,
      config,
    );
    await db.insert(alertMessages).values(
      Array.from({ length: CHANNEL_RATE_LIMIT.messages + 2 }, (_, i) => ({
        channelId: channel.id,
        kind: "test" as const,
        title: `burst ${i}`,
        text: "one of many",
        nextAttemptAt: clock.now(),
        createdAt: clock.now(),
      })),
    );
    const send = () =>
      deliverAlerts(db, {
        now: clock.now(),
        appOrigin: config.appOrigin,
        allowInternal: true,
        retryScheduleMs: [0],
        limit: 100,
      });
    const arrived = () => receivers.requests.filter((r) => r.path === "/limited").length;
    await send();
    expect(arrived()).toBe(CHANNEL_RATE_LIMIT.messages);
    clock.advance(CHANNEL_RATE_LIMIT.windowMs - 1_000);
    await send();
    expect(arrived()).toBe(CHANNEL_RATE_LIMIT.messages);
    clock.advance(1_000);
    await send();
    expect(arrived()).toBe(CHANNEL_RATE_LIMIT.messages + 2);
  });

  it("CONSOLE_ALERT_* configure channels at start; one no longer configured is turned off", async () => {
    const db = database.handle.db;
    const configured = parseConfig({
      CONSOLE_ALERT_WEBHOOK_URL: `${receivers.origin}/env`,
      CONSOLE_ALERT_WEBHOOK_SECRET: webhookSecret,
      CONSOLE_ALERT_SMTP_URL: receivers.smtpUrl,
      CONSOLE_ALERT_EMAIL_TO: "a@shop.example, b@shop.example",
    });
    expect(await ensureEnvironmentChannels(db, configured)).toHaveLength(2);
    const views = await listChannels(db);
    expect(views.find((c) => c.name === "environment-email")).toMatchObject({
      kind: "email",
      enabled: true,
      source: "environment",
      summary: "e-mail to a@shop.example, b@shop.example",
    });
    // The view never carries the SMTP password.
    expect(JSON.stringify(views)).not.toContain("s3cret");
    await ensureEnvironmentChannels(
      db,
      parseConfig({
        CONSOLE_ALERT_WEBHOOK_URL: `${receivers.origin}/env`,
        CONSOLE_ALERT_WEBHOOK_SECRET: webhookSecret,
      }),
    );
    expect((await listChannels(db)).find((c) => c.name === "environment-email")?.enabled).toBe(false);
    expect(() => parseConfig({ CONSOLE_ALERT_WEBHOOK_URL: "https://ops.example/hook" })).toThrow(
      /CONSOLE_ALERT_WEBHOOK_SECRET/,
    );
    expect(() => parseConfig({ CONSOLE_ALERT_SMTP_URL: "smtp://mail.example" })).toThrow(
      /CONSOLE_ALERT_EMAIL_TO/,
    );
  });
});
