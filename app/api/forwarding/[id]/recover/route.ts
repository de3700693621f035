// "Recover failed since T": `dryRun` counts first; then every failed message since T is queued again.
import { z } from "zod";
import { countFailedSince, latestRecovery, recoverFailedSince } from "@/lib/forwarding/actions";
import { wakeForwarder } from "@/lib/forwarding/forwarding-loop";
import { withRoute } from "@/lib/route/with-route";

export const dynamic = "force-dynamic";

const recoverSchema = z.strictObject({
  since: z.iso.datetime({ offset: true, error: "must be an ISO-8601 time" }).transform((v) => new Date(v)),
  dryRun: z.boolean().default(false),
});

export const GET = withRoute<never, never, { id: string }>({}, async ({ db, params }) =>
  Response.json({ recovery: await latestRecovery(db, params.id) }),
);

export const POST = withRoute<typeof recoverSchema, never, { id: string }>(
  { body: recoverSchema },
  async ({ db, body, params, actor, address }) => {
    if (body.dryRun) return Response.json({ count: await countFailedSince(db, params.id, body.since) });
    const recovery = await recoverFailedSince(db, params.id, body.since, { actor, address });
    wakeForwarder();
    return Response.json({ recovery }, { status: 202 });
  },
);
