// `npm run dev`: `next dev` listening on loopback only (127.0.0.1), because in sandbox mode its sign-in page shows
// the demo admin's password. DEV_HOST=0.0.0.0 (or another address) exposes it, with a warning; any other argument
// goes to `next dev` as it is (`npm run dev -- -p 3001`).
import { spawn } from "node:child_process";

const host = process.env.DEV_HOST?.trim() || "127.0.0.1";
const loopback = host === "127.0.0.1" || host === "localhost" || host === "::1" || host.startsWith("127.");
if (!loopback) {
  console.warn(
    `\n  WARNING: the dev server listens on ${host}: anyone who can reach this machine can open the console,` +
      "\n  and in sandbox mode its sign-in page shows the demo admin's password. Unset DEV_HOST to keep it local.\n",
  );
}
const child = spawn(
  process.execPath,
  ["node_modules/next/dist/bin/next", "dev", "-H", host, ...process.argv.slice(2)],
  { stdio: "inherit" },
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
