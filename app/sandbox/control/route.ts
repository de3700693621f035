// Sandbox switches (faults, live traffic) for tests and demos; sandbox mode only.
import { getDatabase } from "@/lib/db";
import { getConfig } from "@/lib/env";
import { readSwitches, sandboxSwitchesPatchSchema, updateSwitches } from "@/lib/sandbox/switches";

export const dynamic = "force-dynamic";

const notFound = () => Response.json({ error: "the sandbox is off (live mode)" }, { status: 404 });

export async function GET() {
  if (getConfig().skinsback.mode !== "sandbox") return notFound();
  const { db } = await getDatabase();
  return Response.json(await readSwitches(db));
}

export async function POST(request: Request) {
  if (getConfig().skinsback.mode !== "sandbox") return notFound();
  const parsed = sandboxSwitchesPatchSchema.safeParse(await request.json().catch(() => undefined));
  if (!parsed.success) {
    return Response.json(
      {
        error: "invalid switches",
        issues: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`),
      },
      { status: 400 },
    );
  }
  const { db } = await getDatabase();
  return Response.json(await updateSwitches(db, parsed.data));
}
