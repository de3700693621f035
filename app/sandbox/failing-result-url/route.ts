// A Result URL that always fails: where the sandbox sends notifications that must land in callback_error_list.
// Sandbox mode only: the mode is checked before a byte of the body is read, and at most a notification's size is.
// Outside withRoute: a stand-in for a broken Result URL, whose only answer is a 500.
import { getConfig } from "@/lib/env";
import { readLimitedBody } from "@/lib/http/read-limited-body";
import { MAX_NOTIFICATION_BYTES } from "@/lib/skinsback/notification";

export const dynamic = "force-dynamic";

export async function POST(request: Request) {
  if (getConfig().skinsback.mode !== "sandbox") return new Response("Not found", { status: 404 });
  await readLimitedBody(request, MAX_NOTIFICATION_BYTES);
  return new Response("Internal Server Error (sandbox failing Result URL)", { status: 500 });
}
