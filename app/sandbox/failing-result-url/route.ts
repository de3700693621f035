// A Result URL that always fails: where the sandbox sends notifications that must land in callback_error_list.
// Sandbox mode only.
import { getConfig } from "@/lib/env";

export const dynamic = "force-dynamic";

export async function POST(request: Request) {
  await request.arrayBuffer();
  if (getConfig().skinsback.mode !== "sandbox") return new Response("Not found", { status: 404 });
  return new Response("Internal Server Error (sandbox failing Result URL)", { status: 500 });
}
