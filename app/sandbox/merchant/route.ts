// The demo receiver: the merchant's backend in sandbox mode, where forwarding sends by default (lib/sandbox).
import { getDatabase } from "@/lib/db";
import { receiveAtDemoMerchant } from "@/lib/sandbox/merchant-receiver";

export const dynamic = "force-dynamic";

export async function POST(request: Request) {
  return receiveAtDemoMerchant((await getDatabase()).db, request);
}
