// SkinsBack's Result URL: deposit notifications in, "OK" out once stored (the work is in lib/deposits).
// Outside withRoute: SkinsBack's Result URL answers as SkinsBack understands ("OK", 4xx, 503) and records every
// request itself (lib/deposits/webhook-receiver.ts).
import { getDatabase } from "@/lib/db";
import { receiveSkinsbackWebhook } from "@/lib/deposits/webhook-receiver";
import { getConfig } from "@/lib/env";
import { wakeForwarder } from "@/lib/forwarding/forwarding-loop";

export const dynamic = "force-dynamic";

export async function POST(request: Request) {
  const config = getConfig();
  const { clientId, clientSecret } = config.skinsback;
  return receiveSkinsbackWebhook(
    {
      getDb: async () => (await getDatabase()).db,
      credentials: { clientId, clientSecret },
      trustedProxies: config.trustedProxies,
      // An applied change (or a flag) has messages to send: this instance's sender looks now, not in a second.
      onStored: (outcome) => {
        if (outcome === "applied" || outcome === "conflict") wakeForwarder();
      },
    },
    request,
  );
}
