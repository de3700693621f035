// The built-in SkinsBack simulator's API endpoint (sandbox mode only): same wire protocol as skinsback.com/api.php.
// Outside withRoute: it stands for SkinsBack and answers in SkinsBack's envelope (status, error_code), not ours.
import { getConfig } from "@/lib/env";
import { handleSandboxApi } from "@/lib/sandbox/api";
import { getSandboxContext } from "@/lib/sandbox/sandbox-clock";

export const dynamic = "force-dynamic";

async function handle(request: Request): Promise<Response> {
  if (getConfig().skinsback.mode !== "sandbox") return new Response("Not found", { status: 404 });
  return handleSandboxApi(await getSandboxContext(), request);
}

export const POST = handle;
export const GET = handle;
