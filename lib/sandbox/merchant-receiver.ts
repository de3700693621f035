import { Webhook } from "standardwebhooks";
import type { Db } from "@/lib/db/client";
import { sandboxEndpointSecrets } from "@/lib/forwarding/endpoints";
import { readLimitedBody } from "@/lib/http/read-limited-body";
import { sandboxMerchantReceipts } from "./schema";
import { readSwitches } from "./switches";

/**
 * The demo receiver: stands for the merchant's backend in sandbox mode, so a newcomer sees forwarding work with
 * no configuration. It does what the README's "Connect your backend" tells a merchant to do — verify the
 * Standard Webhooks signature with the endpoint's secret (which the merchant holds, so this reads it), answer 2xx
 * fast — and, by the `merchantReceiver` switch, is sometimes slow and sometimes fails, so retries show.
 */

const MAX_BODY_BYTES = 256 * 1024;

export async function receiveAtDemoMerchant(
  db: Db,
  request: Request,
  random: () => number = Math.random,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<Response> {
  const read = await readLimitedBody(request, MAX_BODY_BYTES);
  if (read.tooLarge) return new Response("too large", { status: 413 });
  const body = new TextDecoder().decode(read.bytes);
  const headers = Object.fromEntries(request.headers);
  let verified: Record<string, unknown> | undefined;
  for (const secret of await sandboxEndpointSecrets(db)) {
    try {
      verified = new Webhook(secret).verify(body, headers) as Record<string, unknown>;
      break;
    } catch {
      // try the other secret (a rotation's overlap)
    }
  }
  const { merchantReceiver } = await readSwitches(db);
  let status = 200;
  if (!verified) status = 401;
  else if (merchantReceiver === "failing") status = 500;
  else if (merchantReceiver === "realistic") {
    const roll = random();
    if (roll < 0.08) status = 500;
    else if (roll < 0.14) await sleep(800 + Math.floor(random() * 2_200));
  }
  const data = (verified?.data ?? {}) as Record<string, unknown>;
  await db.insert(sandboxMerchantReceipts).values({
    webhookId: request.headers.get("webhook-id")?.slice(0, 64) ?? null,
    type: typeof verified?.type === "string" ? verified.type.slice(0, 64) : null,
    transactionId: typeof data.transaction_id === "string" ? data.transaction_id.slice(0, 64) : null,
    sequence: typeof data.sequence === "number" ? data.sequence : null,
    verified: verified !== undefined,
    answeredStatus: status,
  });
  const text =
    status === 200
      ? "received"
      : status === 401
        ? "signature did not verify"
        : "demo receiver failing on purpose (sandbox switch)";
  return new Response(text, { status, headers: { "content-type": "text/plain; charset=utf-8" } });
}
