// npm run bench [-- proxy|ingest|throughput|bulk|dashboard|forwarding|pages|backlog]: runs the benchmarks (numbers, not pass/fail), each in its own process.
import { spawnSync } from "node:child_process";

const all = {
  proxy: "bench/proxy-overhead.ts",
  ingest: "bench/ingest-and-seed.ts",
  throughput: "bench/ingest-throughput.ts",
  bulk: "bench/bulk-replay.ts",
  dashboard: "bench/dashboard-at-scale.ts",
  forwarding: "bench/forwarding.ts",
  pages: "bench/pages-at-scale.ts",
  backlog: "bench/forwarding-backlog.ts",
};
const chosen = process.argv.slice(2).filter((a) => a in all);
for (const name of chosen.length ? chosen : Object.keys(all)) {
  console.log(`\n### ${name}`);
  // react-server: the condition Next.js serves server code with, so `server-only` modules load here too.
  const result = spawnSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", all[name]], {
    env: {
      ...process.env,
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --conditions=react-server`.trim(),
    },
    stdio: "inherit",
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
