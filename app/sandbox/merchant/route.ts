// The demo receiver: the merchant's backend in sandbox mode, where forwarding sends by default (lib/sandbox).
// Sandbox mode only, checked before the body is read; the receiver reads at most 64 KB.
// Outside withRoute: it stands for the merchant's backend, answering as a receiver would and checking signatures itself.
import { getDatabase } from "@/lib/db";
import { getConfig } from "@/lib/env";
import { receiveAtDemoMerchant } from "@/lib/sandbox/merchant-receiver";

export const dynamic = "force-dynamic";

export async function POST(request: Request) {
  if (getConfig().skinsback.mode !== "sandbox") return new Response("Not found", { status: 404 });
  return receiveAtDemoMerchant((await getDatabase()).db, request);
}
