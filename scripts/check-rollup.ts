/**
 * `npm run db:check-rollup [-- --repair]`: recounts the overview's daily rollup (deposit_daily_totals) from the
 * deposits' events and compares it with what the trigger kept. Exit 0 when they agree, 1 with the differences
 * when not; `--repair` then rebuilds the rollup from the deposits table. PostgreSQL from DATABASE_URL, else the
 * embedded PGlite folder (not while the app has it open).
 */

import { ConfigError, parseConfig } from "../lib/config/index";
import { migrateDatabase, openDatabase } from "../lib/db/client";
import { describeError } from "../lib/errors/describe-error";
import { checkDailyTotals, rebuildDailyTotals } from "../lib/overview/rollup";

const repair = process.argv.includes("--repair");
try {
  const target = parseConfig(process.env).database;
  const handle = await openDatabase(target);
  try {
    await migrateDatabase(target, handle);
    const started = Date.now();
    const check = await checkDailyTotals(handle.db);
    const took = Date.now() - started;
    if (check.differences.length === 0) {
      console.info(
        `The rollup agrees with the recount: ${check.deposits.toLocaleString("en-US")} deposits in ` +
          `${check.buckets.toLocaleString("en-US")} (day, status, currency) buckets, checked in ${took} ms.`,
      );
    } else {
      console.error(`The rollup disagrees with the recount in ${check.differences.length} buckets:`);
      for (const d of check.differences.slice(0, 50)) {
        const show = (v: { deposits: number; amount: string } | null) =>
          v ? `${v.deposits} deposits, ${v.amount}` : "nothing";
        console.error(
          `  ${d.day} ${d.status ?? "(no applied event)"} ${d.currency || "(no currency)"}: ` +
            `rollup ${show(d.rollup)}, recount ${show(d.recount)}`,
        );
      }
      if (repair) {
        await rebuildDailyTotals(handle.db);
        console.info("Rebuilt the rollup from the deposits table.");
      }
      process.exitCode = 1;
    }
  } finally {
    await handle.close();
  }
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : `The check failed: ${describeError(error)}`);
  process.exit(1);
}
