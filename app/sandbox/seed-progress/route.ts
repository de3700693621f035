// How far the sandbox's seeded history has reached the console (sandbox mode only); the deposit list shows it.
import { getDatabase } from "@/lib/db";
import { getConfig } from "@/lib/env";
import { readSeedProgress } from "@/lib/sandbox/engine";

export const dynamic = "force-dynamic";

export async function GET() {
  if (getConfig().skinsback.mode !== "sandbox") return new Response("Not found", { status: 404 });
  const { db } = await getDatabase();
  return Response.json({ progress: (await readSeedProgress(db)) ?? null });
}
