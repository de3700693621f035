// `npm test`: lint, unit + integration tests (vitest, PGlite and PostgreSQL), production build, end-to-end tests
// (Playwright in Chromium), then the standalone server the image ships. Ends with the plain line
// "N passed, N failed" that CI reads.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";

const results = ".test-results";
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

let passed = 0;
let failed = 0;
const node = process.execPath;

function run(label, args, env = {}) {
  console.log(`\n=== ${label}`);
  const started = Date.now();
  const result = spawnSync(node, args, { stdio: "inherit", env: { ...process.env, ...env } });
  console.log(`=== ${label}: exit ${result.status} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result.status === 0;
}

function readJson(path) {
  try {
    return existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : undefined;
  } catch {
    return undefined;
  }
}

// 1. Lint and formatting: a failure counts as one failed check.
if (run("lint (biome)", ["node_modules/@biomejs/biome/bin/biome", "ci", "."])) passed += 1;
else failed += 1;

// 2. Unit and integration tests.
const vitestOk = run("unit + integration (vitest)", [
  "node_modules/vitest/vitest.mjs",
  "run",
  "--reporter=default",
  "--reporter=json",
  `--outputFile.json=${results}/vitest.json`,
]);
const vitest = readJson(`${results}/vitest.json`);
if (vitest) {
  passed += vitest.numPassedTests;
  failed += vitest.numFailedTests;
  if (!vitestOk && vitest.numFailedTests === 0) failed += 1; // crashed suites, unhandled errors
} else failed += 1;

// 3. Production build (type-checks the app) and end-to-end tests against it.
if (run("build (next build)", ["node_modules/next/dist/bin/next", "build"])) {
  const e2eOk = run(
    "end-to-end (playwright)",
    ["node_modules/@playwright/test/cli.js", "test", "--reporter=list,json"],
    {
      PLAYWRIGHT_JSON_OUTPUT_NAME: `${results}/playwright.json`,
    },
  );
  const e2e = readJson(`${results}/playwright.json`);
  if (e2e?.stats) {
    passed += e2e.stats.expected;
    failed += e2e.stats.unexpected + e2e.stats.flaky;
    if (!e2eOk && e2e.stats.unexpected === 0) failed += 1;
  } else failed += 1;
} else failed += 1;

// 4. The deploy artefact: the standalone server the image ships, built and started once (one check).
if (run("standalone server (deploy)", ["--import", "tsx", "scripts/check-standalone.ts"])) passed += 1;
else failed += 1;

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
