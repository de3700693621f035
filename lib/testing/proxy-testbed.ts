import { afterAll, beforeAll } from "vitest";
import {
  callProxy,
  MAX_PROXY_BODY_BYTES,
  type ProxyCaller,
  type ProxyDeps,
  proxyParamsSchema,
} from "@/lib/gateway/proxy";
import { answerError } from "@/lib/route/answer-error";
import { readJsonInput } from "@/lib/route/request-input";
import { openTestDatabase, type TestDatabase } from "./databases";
import { SANDBOX_TEST_CREDENTIALS, startSandboxHarness } from "./sandbox-harness";

/**
 * For a describe block: the signed proxy bound to a console database, calling the sandbox (its own database)
 * over loopback HTTP, as `caller`. Call inside `describe`; everything is opened before its tests and closed after.
 */
export function useProxyTestbed(caller: ProxyCaller) {
  const bed = {
    consoleDb: undefined as unknown as TestDatabase,
    sandboxDb: undefined as unknown as TestDatabase,
    harness: undefined as unknown as Awaited<ReturnType<typeof startSandboxHarness>>,
    deps: undefined as unknown as ProxyDeps,
    /**
     * POST /api/skinsback/<method> with `body` (an object as JSON, a string as it is), through the steps the
     * route wrapper runs after authentication: the same body reader and the same error answers.
     */
    proxy: async (method: string, body?: unknown, options: { deps?: Partial<ProxyDeps> } = {}) => {
      const request = new Request(`http://127.0.0.1/api/skinsback/${method}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      });
      try {
        const params = await readJsonInput(request, proxyParamsSchema, MAX_PROXY_BODY_BYTES);
        return await callProxy({ ...bed.deps, ...options.deps }, method, params, caller);
      } catch (error) {
        return answerError(error, `POST /api/skinsback/${method}`);
      }
    },
  };
  beforeAll(async () => {
    [bed.consoleDb, bed.sandboxDb] = await Promise.all([
      openTestDatabase("pglite"),
      openTestDatabase("pglite"),
    ]);
    bed.harness = await startSandboxHarness({
      sandboxDb: bed.sandboxDb.handle.db,
      consoleDb: bed.consoleDb.handle.db,
    });
    bed.deps = {
      db: bed.consoleDb.handle.db,
      gateway: { apiUrl: bed.harness.apiUrl, ...SANDBOX_TEST_CREDENTIALS, timeoutMs: 2_000 },
      ownResultUrls: [bed.harness.ctx.resultUrl],
    };
  });
  afterAll(async () => {
    await bed.harness?.close();
    await Promise.all([bed.consoleDb?.drop(), bed.sandboxDb?.drop()]);
  });
  return bed;
}
