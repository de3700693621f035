// Signed SkinsBack API proxy: POST /api/skinsback/<method> with JSON parameters; signed and sent server-side.
import { getDatabase } from "@/lib/db";
import { getConfig } from "@/lib/env";
import { handleProxyRequest } from "@/lib/gateway/proxy";

export const dynamic = "force-dynamic";

export async function POST(request: Request, { params }: { params: Promise<{ method: string }> }) {
  const config = getConfig();
  const { db } = await getDatabase();
  return handleProxyRequest(
    {
      db,
      apiKey: config.consoleApiKey,
      gateway: {
        apiUrl: config.skinsback.apiUrl,
        clientId: config.skinsback.clientId,
        clientSecret: config.skinsback.clientSecret,
      },
    },
    (await params).method,
    request,
  );
}
