import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";

/**
 * Separate app processes for tests that need more than one (shared budget, scheduler, a kill -9): a TypeScript
 * script under lib/testing run with tsx. Such a worker prints "ready" once connected, starts on "go" (so several
 * start together) and prints its result as JSON on its last line.
 */
const root = path.resolve(import.meta.dirname, "../..");

/**
 * One process: node with tsx's loader (`--import tsx`), not tsx's CLI, which runs the script in a child of its
 * own — a kill -9 would then kill only the CLI and leave the script running.
 */
export function spawnTsx(script: string, args: string[], stdio: "pipe" | "ignore" = "pipe"): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", script, ...args], {
    cwd: root,
    stdio: [stdio, stdio, "inherit"],
  });
}

export function startWorker<Result>(script: string, args: string[]) {
  const child = spawnTsx(script, args);
  let output = "";
  let signalReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    signalReady = resolve;
  });
  child.stdout?.on("data", (chunk) => {
    output += chunk;
    if (output.includes("ready\n")) signalReady();
  });
  const done = new Promise<Result>((resolve, reject) => {
    child.on("exit", (code) =>
      code === 0
        ? resolve(JSON.parse(output.trim().split("\n").at(-1) ?? "{}") as Result)
        : reject(new Error(`worker ${script} exited ${code}: ${output}`)),
    );
  });
  return { child, ready, go: () => child.stdin?.end("go\n"), done };
}
