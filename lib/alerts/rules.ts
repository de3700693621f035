import { desc, eq, sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { rowsOf } from "@/lib/db/rows";
import { reconcileRuns } from "@/lib/db/schema";
import { readSilence } from "@/lib/deposits/silence";
import { SKINSBACK_CALLS_PER_MINUTE } from "@/lib/gateway/rate-budget";
import { projectBucket } from "@/lib/gateway/skinsback-gateway";
import { readExposure } from "@/lib/holds/exposure";
import { HOLD_CAPS_SETTING } from "@/lib/holds/settings";
import { compareDecimal, percentDecimal } from "@/lib/money/decimal";
import { countUndecided } from "@/lib/reconciliation/differences";
import { readSetting } from "@/lib/settings/store";
import { formatDuration, formatUtc } from "@/lib/time/format";
import type { RuleName, RuleSettings } from "./rule-schemas";

/**
 * What each alert rule (rule-schemas.ts) checks: a condition over what the console already records, for every
 * subject it concerns (an endpoint, an account, a deposit…). A rule returns what is wrong now; incidents.ts
 * turns that into one message when it starts, reminders while it lasts, and one when it ends.
 */

export type Finding = {
  subject: string;
  title: string;
  text: string;
  /** A path in the console, built from our own ids and encoded. */
  link: string | null;
};

export type RuleContext = { db: Db; now: Date; clientId: string };

const one = async <T>(db: Db, query: ReturnType<typeof sql>): Promise<T | undefined> =>
  rowsOf<T>(await db.execute(query))[0];

export const RULE_EVALUATORS: {
  [N in RuleName]: (ctx: RuleContext, settings: RuleSettings<N>) => Promise<Finding[]>;
} = {
  silence: async ({ db, now }) => {
    const silence = await readSilence(db, now);
    if (!silence.alarm) return [];
    return [
      {
        subject: "webhooks",
        title: `No notification from SkinsBack for over ${formatDuration(silence.thresholdMinutes * 60_000)}`,
        text: `The last one was accepted ${silence.lastNotificationAt ?? "never"}, and deposits are being created. Check the Result URL, the firewall and the proxy in front of the console.`,
        link: "/",
      },
    ];
  },
  "failed-notifications": async ({ db, now }, s) => {
    const row = await one<{ n: number; oldest: Date | string | null }>(
      db,
      sql`select
            ((select count(*) from skinsback_failures where resolved_at is null)
           + (select count(*) from console_failures where resolved_at is null))::int as n,
            least((select min(first_seen_at) from skinsback_failures where resolved_at is null),
                  (select min(received_at) from console_failures where resolved_at is null)) as oldest`,
    );
    const n = row?.n ?? 0;
    const oldest = row?.oldest ? new Date(row.oldest) : null;
    const tooOld = oldest !== null && now.getTime() - oldest.getTime() > s.minutes * 60_000;
    if (n <= s.count && !tooOld) return [];
    return [
      {
        subject: "open",
        title: `${n} failed notification${n === 1 ? "" : "s"} open`,
        text: `${n} open (threshold ${s.count}); the oldest since ${formatUtc(oldest)}. Replay them on the failed-notifications screen.`,
        link: "/webhooks/failed",
      },
    ];
  },
  forwarding: async ({ db, now }, s) => {
    const since = new Date(now.getTime() - s.minutes * 60_000).toISOString();
    const rows = rowsOf<{
      id: string;
      name: string;
      state: string;
      state_reason: string | null;
      oldest: Date | string | null;
      failing: boolean;
    }>(
      await db.execute(sql`
        select e.id, e.name, e.state, e.state_reason,
          (select min(m.created_at) from forward_messages m where m.endpoint_id = e.id and m.state = 'waiting') as oldest,
          (exists (select 1 from forward_attempts a where a.endpoint_id = e.id and a.attempted_at >= ${since}::timestamptz and not a.delivered)
           and not exists (select 1 from forward_attempts a where a.endpoint_id = e.id and a.attempted_at >= ${since}::timestamptz and a.delivered)
           and exists (select 1 from forward_attempts a where a.endpoint_id = e.id and a.attempted_at < ${since}::timestamptz and not a.delivered
                        and a.attempted_at > coalesce((select max(d.attempted_at) from forward_attempts d where d.endpoint_id = e.id and d.delivered), '-infinity'))) as failing
        from forward_endpoints e where e.state <> 'paused'`),
    );
    const findings: Finding[] = [];
    for (const e of rows) {
      const reasons: string[] = [];
      if (e.state === "disabled")
        reasons.push(`disabled by the console${e.state_reason ? `: ${e.state_reason}` : ""}`);
      if (e.failing) reasons.push(`every attempt has failed for over ${formatDuration(s.minutes * 60_000)}`);
      const oldest = e.oldest ? new Date(e.oldest) : null;
      if (oldest && now.getTime() - oldest.getTime() > s.minutes * 60_000)
        reasons.push(`its oldest waiting message is from ${formatUtc(oldest)}`);
      if (reasons.length === 0) continue;
      findings.push({
        subject: `endpoint:${e.id}`,
        title: `Forwarding to "${e.name}" is not getting through`,
        text: `Endpoint "${e.name}": ${reasons.join("; ")}. Your backend is not hearing about deposits.`,
        link: `/forwarding/${encodeURIComponent(e.id)}`,
      });
    }
    return findings;
  },
  reconciliation: async ({ db }) => {
    const counts = await countUndecided(db);
    const n = counts.contradiction + counts.amount + counts.unknown_at_skinsback;
    if (n === 0) return [];
    return [
      {
        subject: "differences",
        title: `${n} difference${n === 1 ? "" : "s"} with SkinsBack to look at`,
        text: `Contradictions: ${counts.contradiction}; money differs: ${counts.amount}; unknown at SkinsBack: ${counts.unknown_at_skinsback}. The console did not overwrite them.`,
        link: "/reconciliation",
      },
    ];
  },
  "reconciliation-fixes": async ({ db }) => {
    const [run] = await db
      .select()
      .from(reconcileRuns)
      .where(eq(reconcileRuns.state, "ok"))
      .orderBy(desc(reconcileRuns.id))
      .limit(1);
    if (!run || run.applied === 0) return [];
    return [
      {
        subject: "fixes",
        title: `Reconciliation applied ${run.applied} change${run.applied === 1 ? "" : "s"} no notification brought`,
        text: `Run ${run.id} (${run.kind}, ${formatUtc(run.windowStart)} → ${formatUtc(run.windowEnd)}) found ${run.applied} deposit${run.applied === 1 ? "" : "s"} SkinsBack had moved without the console hearing of it, and applied them. Something between SkinsBack and the console loses notifications (a proxy, a firewall), or SkinsBack did not send them.`,
        link: "/reconciliation?state=resolved",
      },
    ];
  },
  stuck: async ({ db }) => {
    const n = (await countUndecided(db)).stuck;
    if (n === 0) return [];
    return [
      {
        subject: "stuck",
        title: `${n} stuck deposit${n === 1 ? "" : "s"}`,
        text: `${n} deposit${n === 1 ? " has" : "s have"} not moved as expected, and SkinsBack says the same.`,
        link: "/deposits?stuck=1",
      },
    ];
  },
  "skinsback-down": async ({ db }) => {
    const last = await one<{
      outcome: string;
      error_code: number | null;
      error_message: string | null;
      called_at: Date | string;
    }>(
      db,
      sql`select outcome, error_code, error_message, called_at from api_calls
           where outcome <> 'invalid_params' order by id desc limit 1`,
    );
    if (!last) return [];
    const maintenance = last.error_code === -9;
    if (last.outcome !== "network_error" && last.outcome !== "response_error" && !maintenance) return [];
    return [
      {
        subject: "api",
        title: maintenance ? "SkinsBack is in maintenance" : "SkinsBack's API cannot be reached",
        text: `The console's latest call (${formatUtc(new Date(last.called_at))}) ended ${maintenance ? "with -9 under_maintenance" : `as ${last.outcome}${last.error_message ? `: ${last.error_message}` : ""}`}. Replays, approvals and reconciliation wait.`,
        link: "/api-calls",
      },
    ];
  },
  "budget-full": async ({ db, clientId }) => {
    const bucket = projectBucket(clientId);
    const row = await one<{ used: number; blocked: boolean }>(
      db,
      sql`select (select count(*)::int from api_rate_slots where bucket = ${bucket} and taken_at > clock_timestamp() - interval '61 seconds') as used,
                 exists (select 1 from api_rate_blocks where bucket = ${bucket} and blocked_until > clock_timestamp()) as blocked`,
    );
    if (!row || (!row.blocked && row.used < SKINSBACK_CALLS_PER_MINUTE)) return [];
    return [
      {
        subject: "budget",
        title: row.blocked
          ? "SkinsBack has blocked the project's calls (-7)"
          : "The SkinsBack call budget is full",
        text: `${row.used} of ${SKINSBACK_CALLS_PER_MINUTE} calls used in the last minute${row.blocked ? "; SkinsBack answered -7 request_limit_reached" : ""}. Operators' actions wait for room.`,
        link: "/api-calls",
      },
    ];
  },
  "sign-ins": async ({ db, now }, s) => {
    const since = new Date(now.getTime() - 15 * 60_000).toISOString();
    const row = await one<{ n: number }>(
      db,
      sql`select count(*)::int as n from audit_events where action in ('sign-in.failed', 'sign-in.locked') and at >= ${since}::timestamptz`,
    );
    const locked = rowsOf<{ key: string; locked_until: Date | string }>(
      await db.execute(sql`select key, locked_until from sign_in_throttle
                            where scope = 'account' and locked_until > ${now.toISOString()}::timestamptz order by key limit 20`),
    );
    const findings: Finding[] = [];
    if ((row?.n ?? 0) >= s.failures) {
      findings.push({
        subject: "failed",
        title: `${row?.n} failed sign-ins in 15 minutes`,
        text: `${row?.n} failed or locked-out sign-ins since ${since} (threshold ${s.failures}). Someone may be guessing passwords.`,
        link: "/audit?action=sign-in.failed",
      });
    }
    for (const account of locked) {
      findings.push({
        subject: `locked:${account.key}`,
        title: `The account ${account.key} is locked`,
        text: `Too many failed sign-ins from many addresses: ${account.key} is locked for everyone until ${formatUtc(new Date(account.locked_until))}.`,
        link: "/audit?action=sign-in.locked",
      });
    }
    return findings;
  },
  "early-approval": async ({ db, now }, s) => {
    const since = new Date(now.getTime() - 3_600_000).toISOString();
    const rows = rowsOf<{
      transaction_id: string;
      operator_email: string;
      usd: string | null;
      amount: string | null;
      currency: string | null;
    }>(
      await db.execute(sql`
        select a.transaction_id, a.operator_email, a.amount, a.currency,
               coalesce(a.usd, signed_usd(d.amount_currency, d.amount))::text as usd
          from hold_approvals a join deposits d on d.transaction_id = a.transaction_id
         where a.state = 'approved' and a.finished_at >= ${since}::timestamptz
         order by a.finished_at desc limit 100`),
    );
    return rows
      .filter((r) => r.usd !== null && compareDecimal(r.usd, s.usd) > 0)
      .map((r) => ({
        subject: `approval:${r.transaction_id}`,
        title: `${r.operator_email} approved ${r.usd} USD early`,
        text: `Deposit ${r.transaction_id} (${r.amount ?? "?"} ${r.currency ?? ""}) was released before its hold ended, above the ${s.usd} USD threshold.`,
        link: `/deposits/${encodeURIComponent(r.transaction_id)}`,
      }));
  },
  exposure: async ({ db, now }, s) => {
    const caps = await readSetting(db, HOLD_CAPS_SETTING);
    if (!caps.totalUsd || compareDecimal(caps.totalUsd, "0") <= 0) return [];
    const exposure = await readExposure(db, now);
    const percent = percentDecimal(exposure.totals.usd, caps.totalUsd);
    if (percent === null || compareDecimal(percent, String(s.percent)) < 0) return [];
    return [
      {
        subject: "total",
        title: `Held exposure at ${percent}% of the cap`,
        text: `${exposure.totals.usd} USD released early and not final yet, against a cap of ${caps.totalUsd} USD (alert at ${s.percent}%).`,
        link: "/holds/exposure",
      },
    ];
  },
};
