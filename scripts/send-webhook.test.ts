import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_CREDENTIALS } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import { receiveSkinsbackWebhook } from "@/lib/deposits/webhook-receiver";
import { openTestDatabase, type TestDatabase } from "@/lib/testing/databases";
import { serve } from "@/lib/testing/http-server";
import { storedDeposit } from "@/lib/testing/inspect";

const root = path.resolve(import.meta.dirname, "..");

/** Runs `npm run webhook:send -- <args>` as a person would (tsx, the real script), with the sandbox credentials. */
function sendWebhook(args: string[], env: Record<string, string> = {}) {
  const child = spawn(
    process.execPath,
    ["node_modules/tsx/dist/cli.mjs", "scripts/send-webhook.ts", ...args],
    {
      cwd: root,
      env: { PATH: process.env.PATH ?? "", NODE_ENV: "development", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c) => {
    stdout += c;
  });
  child.stderr.on("data", (c) => {
    stderr += c;
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on("exit", (code) => resolve({ code, stdout, stderr })),
  );
}

describe("npm run webhook:send", () => {
  let database: TestDatabase;
  let server: Awaited<ReturnType<typeof serve>>;
  let received = 0;
  beforeAll(async () => {
    database = await openTestDatabase("pglite");
    server = await serve(async (request) => {
      received += 1;
      return receiveSkinsbackWebhook(
        { getDb: async () => database.handle.db as Db, credentials: SANDBOX_CREDENTIALS },
        request,
      );
    });
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  it("--help describes every flag, with examples", async () => {
    const { code, stdout } = await sendWebhook(["--help"]);
    expect(code).toBe(0);
    for (const flag of [
      "status",
      "transaction-id",
      "order-id",
      "steam-id",
      "amount",
      "currency",
      "multiplier",
      "reason",
      "risk",
      "form",
      "no-x-sign",
      "bad-sign",
      "url",
      "help",
    ]) {
      expect(stdout).toMatch(new RegExp(`\\n  --${flag}\\b.* \\w+`));
    }
    expect(stdout).toContain("npm run webhook:send -- --status in_hold --transaction-id 1001 --risk");
  });

  it("with no arguments prints the help and sends nothing", async () => {
    const before = received;
    const { code, stdout } = await sendWebhook([], { APP_ORIGIN: server.origin });
    expect(code).toBe(2);
    expect(stdout).toContain("Usage: npm run webhook:send -- --status <status> [flags]");
    expect(received).toBe(before);
  });

  it("a misspelled flag is one clear line, no stack trace", async () => {
    const { code, stdout, stderr } = await sendWebhook(["--stauts", "success"]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr.trim()).toBe(
      "webhook:send: Unknown option '--stauts' (npm run webhook:send -- --help lists every flag)",
    );
  });

  it("an unreachable console is one clear line, no stack trace", async () => {
    const closed = await serve(async () => new Response("unused"));
    await closed.close(); // a port that was just listening: nothing answers there now
    const { code, stderr } = await sendWebhook([
      "--status",
      "success",
      "--url",
      `${closed.origin}/api/webhooks/skinsback`,
    ]);
    expect(code).toBe(1);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(
      /^webhook:send: could not reach http:\/\/127\.0\.0\.1:\d+\/api\/webhooks\/skinsback \(ECONNREFUSED\)\. Is the console running\?/,
    );
  });

  it("sends a signed notification that the receiver applies, and prints the deposit's link", async () => {
    const { code, stdout } = await sendWebhook(
      ["--status", "in_hold", "--transaction-id", "880001", "--risk", "--form"],
      { APP_ORIGIN: server.origin },
    );
    expect(code).toBe(0);
    expect(stdout).toContain("200 OK (outcome: applied)");
    expect(stdout).toContain(`transaction 880001: ${server.origin}/deposits/880001`);
    expect(await storedDeposit(database.handle.db, "880001")).toMatchObject({
      status: "in_hold",
      amount: "12.5", // sent as SkinsBack's PHP writes the float 12.50
    });
  });

  it("a --bad-sign notification is refused and the link goes to the refused request, not a deposit", async () => {
    const { code, stdout } = await sendWebhook(
      ["--status", "success", "--transaction-id", "880002", "--bad-sign"],
      {
        APP_ORIGIN: server.origin,
      },
    );
    expect(code).toBe(1);
    expect(stdout).toContain("401");
    expect(stdout).toContain(
      `transaction 880002 was not stored; the refused request: ${server.origin}/webhooks?transactionId=880002`,
    );
    expect(stdout).not.toContain("/deposits/880002");
    expect(await storedDeposit(database.handle.db, "880002")).toBeUndefined();
  });
});
