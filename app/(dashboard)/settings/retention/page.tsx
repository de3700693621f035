import { eq } from "drizzle-orm";
import type { Metadata } from "next";
import { RetentionForm } from "@/components/retention/retention-form";
import { requirePageOperator } from "@/lib/auth/page-guard";
import { getDatabase } from "@/lib/db";
import { scheduledJobs } from "@/lib/db/schema";
import { RETENTION_JOB } from "@/lib/retention/job";
import { DEFAULT_RETENTION } from "@/lib/retention/retention";
import { RETENTION_SETTING } from "@/lib/retention/settings";
import { readSetting } from "@/lib/settings/store";

export const metadata: Metadata = { title: "Retention" };
export const dynamic = "force-dynamic";

/** Admin: how long the console keeps raw bodies, refused requests, API calls, counters and sandbox records. */
export default async function RetentionPage() {
  await requirePageOperator();
  const { db } = await getDatabase();
  const [retention, [job]] = await Promise.all([
    readSetting(db, RETENTION_SETTING),
    db.select().from(scheduledJobs).where(eq(scheduledJobs.name, RETENTION_JOB)),
  ]);
  return (
    <section className="max-w-2xl space-y-4">
      <h1 className="text-xl font-semibold">Retention</h1>
      <p className="text-sm text-slate-600">
        Deposits and their events are never deleted: every signed field of every notification stays in the
        deposit's timeline. A daily job lets go of the rest once it is older than set here, a thousand rows at
        a time.
      </p>
      <RetentionForm retention={retention} defaults={DEFAULT_RETENTION} />
      <p className="text-xs text-slate-500" data-testid="retention-last-run">
        {job?.lastFinishedAt
          ? `Last run ${job.lastFinishedAt.toISOString().slice(0, 16).replace("T", " ")} UTC: ${Object.entries(
              (job.lastResult ?? {}) as Record<string, number>,
            )
              .map(([what, n]) => `${what} ${n}`)
              .join(", ")}${job.lastError ? ` — failed: ${job.lastError}` : ""}`
          : "The job has not run yet."}
      </p>
    </section>
  );
}
